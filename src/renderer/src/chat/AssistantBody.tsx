import { useState, useSyncExternalStore, type JSX } from 'react'
import { streamingTextOf } from '../db/message-parts'
import type { MessageRow } from '../db/schema'
import type { StreamingText } from '../db/streaming-store'
import { actionFailedNotice } from '../notices/action-failed'
import { useParley } from '../parley-context'
import { AnswerStats } from './AnswerStats'
import { LoadedMarkdown } from './LoadedMarkdown'
import { canRetry, retryRun } from './retry-run'
import { emptyAnswerNote, errorSentence, isEmptyAnswer, runStateOf } from './run-state'

/** The text to show: the streaming store while deltas arrive (ahead of Dexie), else the row itself. */
function useShownText(message: MessageRow): StreamingText {
  const { streaming } = useParley()
  const live = useSyncExternalStore(streaming.subscribe, () => streaming.get(message.id))
  return live ?? streamingTextOf(message)
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

/** The model's answer: its reasoning, its text as markdown (live while it streams), its error, run state and stats. */
export function AssistantBody(props: { message: MessageRow }): JSX.Element {
  const { message } = props
  const { text, reasoning } = useShownText(message)
  const streaming = message.status === 'streaming'
  const written = text.trim() !== ''
  const state = runStateOf(message, written)
  const empty = isEmptyAnswer(message, written)
  const error = errorSentence(message)
  return (
    <>
      {reasoning ? (
        <details className="reasoning">
          <summary>{streaming && !text ? 'Thinking…' : 'Reasoning'}</summary>
          <div className="reasoning-text">{reasoning}</div>
        </details>
      ) : null}
      <div className="message-text" data-testid="message-text" dir="auto">
        {text ? <LoadedMarkdown messageId={message.id} text={text} streaming={streaming} /> : null}
      </div>
      {error ? (
        <p className="message-error" data-testid="message-error" role="alert">
          {error}
        </p>
      ) : null}
      {empty ? (
        <p className="message-note" data-testid="empty-answer">
          {emptyAnswerNote}
        </p>
      ) : null}
      <div className={`message-meta message-meta-${state.tone}`}>
        <span className={`run-state run-state-${state.tone}`} data-testid="run-state">
          {state.label}
        </span>
        {canRetry(message) || empty ? <RetryButton message={message} /> : null}
      </div>
      <AnswerStats message={message} />
    </>
  )
}
