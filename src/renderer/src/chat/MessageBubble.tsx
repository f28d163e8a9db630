import { memo, useEffect, useState, type JSX } from 'react'
import { streamingTextOf } from '../db/message-parts'
import type { MessageRow } from '../db/schema'
import { MessageActions } from './actions/MessageActions'
import { AssistantBody } from './AssistantBody'
import { UserBody } from './UserBody'
import { ErrorBoundary } from '../ui/Region'

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
