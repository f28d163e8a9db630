import { memo, useRef, useState, type JSX, type KeyboardEvent } from 'react'
import type { SessionRow } from '../db/schema'
import { IconButton } from '../ui/IconButton'
import { useFocusBack } from '../ui/use-focus-back'
import { untitled } from './session-title'

export { untitled }

export interface SessionItemProps {
  session: SessionRow
  selected: boolean
  busy: boolean
  /** An answer finished here out of sight, and the chat hasn't been opened since. */
  unseen: boolean
  /** The callbacks take the chat, so one function serves every row and a row redraws only when its own props change. */
  onSelect: (sessionId: string) => void
  onRename: (sessionId: string, title: string) => void
  onDelete: (session: SessionRow) => void
}

/**
 * One chat in the sidebar: open it, rename it (double-click or the pencil), delete it (after a confirm). Memoised: the
 * sidebar redraws on every activity change, and a row whose chat, marks and callbacks are the same is not redrawn.
 */
export const SessionItem = memo(function SessionItem(props: SessionItemProps): JSX.Element {
  const { session, selected, busy, unseen } = props
  const [editing, setEditing] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const title = session.title ?? untitled
  const open = useRef<HTMLButtonElement>(null)
  // A rename ended with Enter or Esc: the title field goes, and the focus goes back to the chat's row (a click
  // elsewhere ends it too, and the focus stays where it went).
  const focusRow = useFocusBack(open)

  const finishEditing = (value: string): void => {
    setEditing(false)
    const clean = value.trim()
    if (clean && clean !== session.title) props.onRename(session.id, clean)
  }

  const onEditKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      focusRow()
      finishEditing(event.currentTarget.value)
    } else if (event.key === 'Escape') {
      // Esc cancels the rename only; it must not reach the window (where it would stop an answer).
      event.preventDefault()
      event.stopPropagation()
      focusRow()
      setEditing(false)
    }
  }

  return (
    <div
      className={`session-item${selected ? ' selected' : ''}`}
      data-testid="session-item"
      data-session-id={session.id}
      data-busy={busy ? 'true' : 'false'}
      data-unseen={unseen ? 'true' : 'false'}
    >
      {editing ? (
        <input
          className="session-rename"
          aria-label="Chat title"
          defaultValue={session.title ?? ''}
          placeholder={untitled}
          maxLength={500}
          autoFocus
          onKeyDown={onEditKey}
          onBlur={(event) => finishEditing(event.currentTarget.value)}
        />
      ) : (
        <button
          ref={open}
          type="button"
          className="session-open"
          aria-current={selected ? 'page' : undefined}
          title={title}
          onClick={() => props.onSelect(session.id)}
          onDoubleClick={() => setEditing(true)}
        >
          <span className="session-title" data-testid="session-title">
            {title}
          </span>
          {busy ? <span className="busy-dot" role="img" aria-label="Answering" /> : null}
          {unseen ? <span className="unseen-dot" data-testid="unseen-mark" role="img" aria-label="New answer" /> : null}
        </button>
      )}
      {!editing && !confirming ? (
        <span className="session-actions">
          <IconButton icon="pencil" testId="rename-session" label={`Rename ${title}`} onClick={() => setEditing(true)} />
          <IconButton icon="trash" testId="delete-session" label={`Delete ${title}`} onClick={() => setConfirming(true)} />
        </span>
      ) : null}
      {confirming ? (
        <div className="session-confirm" role="group" aria-label={`Delete ${title}?`}>
          <span>Delete this chat?</span>
          <button
            type="button"
            className="button danger small"
            data-testid="confirm-delete"
            autoFocus
            onClick={() => {
              setConfirming(false)
              props.onDelete(session)
            }}
          >
            Delete
          </button>
          <button type="button" className="button small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : null}
    </div>
  )
})
