import { memo, useRef, useState, type JSX } from 'react'
import type { SessionRow } from '../db/schema'
import { IconButton } from '../ui/IconButton'
import { useFocusBack } from '../ui/use-focus-back'
import { untitled } from './session-title'
import { TitleField } from './TitleField'
import { useTitleEditing } from './use-title-editing'

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
  const [confirming, setConfirming] = useState(false)
  const title = session.title ?? untitled
  const open = useRef<HTMLButtonElement>(null)
  // A rename ended with Enter or Esc: the title field goes, and the focus goes back to the chat's row.
  const { editing, start, close } = useTitleEditing(open)
  // The delete confirm cancelled (Cancel, or Esc, which must not reach the window and stop an answer): the focus goes
  // back to the delete button it came from. Delete itself: the sidebar gives it to the row that takes this one's place.
  const trash = useRef<HTMLButtonElement>(null)
  const focusTrash = useFocusBack(trash)
  const cancelDelete = (): void => {
    focusTrash()
    setConfirming(false)
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
        <TitleField
          className="session-rename"
          current={session.title ?? ''}
          placeholder={untitled}
          onRename={(renamed) => props.onRename(session.id, renamed)}
          onClose={close}
        />
      ) : (
        <button
          ref={open}
          type="button"
          className="session-open"
          aria-current={selected ? 'page' : undefined}
          title={title}
          onClick={() => props.onSelect(session.id)}
          onDoubleClick={start}
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
          <IconButton icon="pencil" testId="rename-session" label={`Rename ${title}`} onClick={start} />
          <IconButton ref={trash} icon="trash" testId="delete-session" label={`Delete ${title}`} onClick={() => setConfirming(true)} />
        </span>
      ) : null}
      {confirming ? (
        <div
          className="session-confirm"
          role="group"
          aria-label={`Delete ${title}?`}
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return
            event.preventDefault()
            event.stopPropagation()
            cancelDelete()
          }}
        >
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
          <button type="button" className="button small" data-testid="cancel-delete" onClick={cancelDelete}>
            Cancel
          </button>
        </div>
      ) : null}
    </div>
  )
})
