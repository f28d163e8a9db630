import { memo, useState, useSyncExternalStore, type JSX } from 'react'
import { streamingTextOf } from '../db/message-parts'
import type { MessageRow } from '../db/schema'
import type { StreamingText } from '../db/streaming-store'
import { actionFailedNotice } from '../notices/action-failed'
import { useParley } from '../parley-context'
import { Markdown } from './Markdown'
import { PromptText } from './PromptText'
import { canRetry, retryRun } from './retry-run'
import { errorSentence, runStateOf } from './run-state'

/** The text to show: the streaming store while deltas arrive (ahead of Dexie), else the row itself. */
function useShownText(message: MessageRow): StreamingText {
  const { streaming } = useParley()
  const live = useSyncExternalStore(streaming.subscribe, () => streaming.get(message.id))
  return live ?? streamingTextOf(message)
}

function seconds(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

/** Sends a failed run's prompt again as a new run (the failed answer stays, so the chat shows what happened). */
function RetryButton(props: { message: MessageRow }): JSX.Element {
  const { api, activity, db, notices } = useParley()
  const [sending, setSending] = useState(false)
  const retry = (): void => {
    setSending(true)
    void retryRun({ api, activity, db }, props.message)
      .then((outcome) => {
        if (!outcome.ok) notices.show(actionFailedNotice('Parley could not retry this answer', outcome.error))
      })
      .finally(() => setSending(false))
  }
  return (
    <button type="button" className="button small retry-button" data-testid="retry-run" disabled={sending} onClick={retry}>
      Retry
    </button>
  )
}

function AssistantBody(props: { message: MessageRow }): JSX.Element {
  const { message } = props
  const { text, reasoning } = useShownText(message)
  const state = runStateOf(message)
  const error = errorSentence(message)
  const streaming = message.status === 'streaming'
  const details = [message.model, seconds(message.timings?.durationMs)].filter(Boolean).join(' · ')
  return (
    <>
      {reasoning ? (
        <details className="reasoning">
          <summary>{streaming && !text ? 'Thinking…' : 'Reasoning'}</summary>
          <div className="reasoning-text">{reasoning}</div>
        </details>
      ) : null}
      <div className="message-text" data-testid="message-text">
        {text ? <Markdown text={text} /> : null}
      </div>
      {error ? (
        <p className="message-error" data-testid="message-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className={`message-meta message-meta-${state.tone}`}>
        <span className={`run-state run-state-${state.tone}`} data-testid="run-state">
          {state.label}
        </span>
        {!streaming && details ? <span className="message-details">{details}</span> : null}
        {canRetry(message) ? <RetryButton message={message} /> : null}
      </div>
    </>
  )
}

/** One message: the user's prompt as typed, or the model's answer as markdown with its run state. */
export const MessageBubble = memo(MessageBubbleView, sameRow)

/** Live queries hand out new row objects on every commit; a row's seq watermark says whether it really changed. */
function sameRow(before: { message: MessageRow }, after: { message: MessageRow }): boolean {
  return before.message.id === after.message.id && before.message.seq === after.message.seq
}

function MessageBubbleView(props: { message: MessageRow }): JSX.Element {
  const { message } = props
  return (
    <article
      className={`message message-${message.role}`}
      data-testid="message"
      data-role={message.role}
      data-status={message.status}
      data-finish-reason={message.finishReason}
      data-run-id={message.runId}
      data-message-id={message.id}
      aria-label={message.role === 'user' ? 'You' : 'Assistant'}
    >
      {message.role === 'user' ? (
        <PromptText text={streamingTextOf(message).text} />
      ) : (
        <AssistantBody message={message} />
      )}
    </article>
  )
}
