import type { JSX } from 'react'
import type { ProviderTrouble, QueuedPrompt } from '../../../shared'
import { useNow } from '../activity/countdown'
import type { RunLoading, RunRetry } from '../activity/session-activity'
import { actionFailedNotice } from '../notices/action-failed'
import { useParley } from '../parley-context'
import { awaitedAnswerLabel, waitingAnswerText } from './run-state'

/**
 * The answer a busy session owes before its first token arrives (no assistant message exists yet). While a rate
 * limit is waited out (C4) it counts down to the next try, with the provider's sentence beside it; while the server
 * loads the model into memory for it (Ollama, LM Studio: C6 without a 503), it says so.
 */
export function AwaitedAnswer(props: { retry: RunRetry | undefined; loading?: RunLoading | undefined }): JSX.Element {
  const { retry, loading } = props
  const now = useNow(retry !== undefined)
  return (
    <div
      className="message message-assistant message-awaited"
      data-testid="awaited-answer"
      data-retrying={retry ? 'true' : undefined}
      data-loading={loading && !retry ? 'true' : undefined}
      aria-live="polite"
    >
      <span className="typing" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      {/* The countdown changes every second: read once as a sentence that doesn't, not second by second. */}
      <span className={`run-state run-state-${retry ? 'warning' : 'live'}`} data-testid="run-state" aria-hidden={retry ? true : undefined}>
        {awaitedAnswerLabel(retry, now, loading)}
      </span>
      {retry ? <span className="visually-hidden">{awaitedAnswerLabel(retry, undefined)}</span> : null}
      {retry ? <span className="awaited-detail">{retry.detail}</span> : null}
    </div>
  )
}

/**
 * The prompt that runs next once the provider answers again (rule C3), shown where its answer will be, rather than as
 * a chip; it can still be removed. If it already ran once, its user message is just above, from history; if not, it
 * is drawn here the same way, so a waiting prompt looks the same in every chat.
 */
export function WaitingPrompt(props: { prompt: QueuedPrompt; reason: ProviderTrouble }): JSX.Element {
  return (
    <>
      {props.prompt.userMessageId === undefined ? (
        <article className="message message-user message-not-sent" data-testid="waiting-prompt" aria-label="You">
          <div className="message-text user-text">{props.prompt.prompt}</div>
        </article>
      ) : null}
      <WaitingAnswer prompt={props.prompt} reason={props.reason} />
    </>
  )
}

function WaitingAnswer(props: { prompt: QueuedPrompt; reason: ProviderTrouble }): JSX.Element {
  const text = waitingAnswerText(props.reason)
  const { api, notices } = useParley()
  const remove = (): void => {
    api
      .cancelRun(props.prompt.runId)
      .catch((error: unknown) => notices.show(actionFailedNotice('Parley could not remove that prompt', error)))
  }
  return (
    <div
      className="message message-assistant message-awaited message-waiting"
      data-testid="waiting-answer"
      data-run-id={props.prompt.runId}
      aria-live="polite"
    >
      <span className="run-state run-state-warning" data-testid="run-state">
        {text.label}
      </span>
      {text.detail ? <span className="awaited-detail">{text.detail}</span> : null}
      <button type="button" className="button small" data-testid="remove-waiting" onClick={remove}>
        Remove
      </button>
    </div>
  )
}
