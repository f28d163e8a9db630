import { memo, useEffect, useState, useSyncExternalStore, type JSX } from 'react'
import type { AttachmentRef } from '../../../shared'
import { streamingTextOf } from '../db/message-parts'
import type { MessageRow } from '../db/schema'
import type { StreamingText } from '../db/streaming-store'
import { actionFailedNotice } from '../notices/action-failed'
import { useParley } from '../parley-context'
import { MessageAttachments } from '../attachments/MessageAttachments'
import { sendPrompt } from '../composer/send-prompt'
import { MessageActions } from './actions/MessageActions'
import { EditPrompt } from './actions/EditPrompt'
import { useAttachmentServices } from '../attachments/services'
import { AnswerStats } from './AnswerStats'
import { LoadedMarkdown } from './LoadedMarkdown'
import { PromptText } from './PromptText'
import { canRetry, retryRun } from './retry-run'
import { emptyAnswerNote, errorSentence, isEmptyAnswer, runStateOf } from './run-state'
import { ErrorBoundary } from '../ui/Region'

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

function AssistantBody(props: { message: MessageRow }): JSX.Element {
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

/** A prompt as typed, or its inline editor: saving sends the new text beside it as a new branch (H3). */
function UserBody(props: { message: MessageRow; editing: boolean; onDone: () => void }): JSX.Element {
  const { message, onDone } = props
  const { api, activity, notices } = useParley()
  const { attach } = useAttachmentServices()
  const text = streamingTextOf(message).text
  const attachments = message.attachments ?? []
  if (!props.editing) {
    return (
      <>
        <MessageAttachments attachments={attachments} />
        {text ? <PromptText text={text} /> : null}
      </>
    )
  }
  const save = (edited: string, kept: AttachmentRef[]): void => {
    onDone()
    const request = { sessionId: message.sessionId, prompt: edited, attachments: kept, editOf: message.id }
    void sendPrompt({ api, activity }, request).then((outcome) => {
      if (!outcome.ok) notices.show(actionFailedNotice('Parley could not send the edited message', outcome.error))
    })
  }
  return <EditPrompt text={text} attachments={attachments} onSave={save} onCancel={onDone} attach={attach} />
}

/** A message whose drawing threw: what failed, and its text as written, so nothing is lost from sight. */
function UndrawableMessage(props: { message: MessageRow; error: Error }): JSX.Element {
  return (
    <div data-testid="message-undrawable">
      <p className="message-error" role="alert">
        Parley could not draw this message ({props.error.message || props.error.name}). Its text, as written:
      </p>
      <p className="user-text">{streamingTextOf(props.message).text}</p>
    </div>
  )
}

export interface MessageBubbleProps {
  message: MessageRow
  /** The message and its siblings on the tree (same parent, same role), oldest first (`chat/branch.ts`). */
  siblings: readonly string[]
  index: number
  /** The keyboard asked to edit this prompt (Up in the empty composer), and no bubble has opened it yet. */
  editRequested: boolean
  /** The editor asked for is open: the ask is spent (`EditRequest.taken`). */
  onEditTaken: (messageId: string) => void
}

/** One message: the user's prompt as typed, or the model's answer as markdown with its run state; its actions. */
export const MessageBubble = memo(MessageBubbleView, sameRow)

/** Live queries hand out new row objects on every commit; a row's seq watermark says whether it really changed. */
function sameRow(before: MessageBubbleProps, after: MessageBubbleProps): boolean {
  return (
    before.message.id === after.message.id &&
    before.message.seq === after.message.seq &&
    before.index === after.index &&
    before.editRequested === after.editRequested &&
    before.onEditTaken === after.onEditTaken &&
    before.siblings.join() === after.siblings.join()
  )
}

function MessageBubbleView(props: MessageBubbleProps): JSX.Element {
  const { message, editRequested, onEditTaken } = props
  const [editing, setEditing] = useState(false)
  // Taken as it is seen, so drawing this row again (the list re-creates rows as they scroll in) never opens it again.
  useEffect(() => {
    if (!editRequested) return
    setEditing(true)
    onEditTaken(message.id)
  }, [editRequested, onEditTaken, message.id])
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
      {/* A message that can't be drawn shows its text as written: the rest of the chat stays. */}
      <ErrorBoundary resetKey={message.seq} fallback={(error) => <UndrawableMessage message={message} error={error} />}>
        {message.role === 'user' ? (
          <UserBody message={message} editing={editing} onDone={() => setEditing(false)} />
        ) : (
          <AssistantBody message={message} />
        )}
      </ErrorBoundary>
      {editing ? null : (
        <MessageActions message={message} siblings={props.siblings} index={props.index} onEdit={() => setEditing(true)} />
      )}
    </article>
  )
}
