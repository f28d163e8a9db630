import { useRef, useState, type JSX } from 'react'
import { focusComposer } from '../../composer/focus-composer'
import { deleteWithUndo } from '../../sessions/delete-with-undo'
import { useParley } from '../../parley-context'
import { IconButton } from '../../ui/IconButton'
import { useFocusBack } from '../../ui/use-focus-back'

/**
 * Deletes a message and the branch below it (`deleteMessages`), after a second click, with Undo for 10 seconds
 * before main is asked. Main refuses while the chat is answering; the banner says why and the message comes back. Keep
 * or Esc puts the question away.
 */
export function DeleteMessage(props: { sessionId: string; messageId: string }): JSX.Element {
  const { api, notices, deletes } = useParley()
  const [confirming, setConfirming] = useState(false)
  const trash = useRef<HTMLButtonElement>(null)
  // Keep: the question goes, and the focus goes back to the delete button it came from.
  const focusTrash = useFocusBack(trash)
  const keep = (): void => {
    focusTrash()
    setConfirming(false)
  }
  const remove = (): void => {
    setConfirming(false)
    const { sessionId, messageId } = props
    deleteWithUndo({ deletes, notices }, { kind: 'messages', id: messageId, sessionId, messageId }, () =>
      api.deleteMessages(sessionId, messageId)
    )
    // The message goes from the chat with the focus on it: the person goes on in the composer.
    focusComposer(document)
  }
  if (!confirming) {
    return (
      <IconButton
        ref={trash}
        icon="trash"
        size="small"
        className="message-action"
        label="Delete this message and the replies below it"
        testId="action-delete"
        onClick={() => setConfirming(true)}
      />
    )
  }
  return (
    <span
      className="delete-confirm"
      role="group"
      aria-label="Delete this message and the replies below it?"
      onKeyDown={(event) => {
        // Esc keeps the message; it must not reach the window, where it would stop the answer being written.
        if (event.key !== 'Escape') return
        event.preventDefault()
        event.stopPropagation()
        keep()
      }}
    >
      <button type="button" className="button small danger" data-testid="action-delete-confirm" autoFocus onClick={remove}>
        Delete
      </button>
      <button type="button" className="button small" data-testid="action-delete-cancel" onClick={keep}>
        Keep
      </button>
    </span>
  )
}
