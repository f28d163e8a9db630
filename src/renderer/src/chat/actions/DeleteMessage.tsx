import { useState, type JSX } from 'react'
import { deleteWithUndo } from '../../sessions/delete-with-undo'
import { useParley } from '../../parley-context'
import { IconButton } from '../../ui/IconButton'

/**
 * Deletes a message and the branch below it (`deleteMessages`), after a second click, with Undo for 10 seconds
 * before main is asked. Main refuses while the chat is answering; the banner says why and the message comes back.
 */
export function DeleteMessage(props: { sessionId: string; messageId: string }): JSX.Element {
  const { api, notices, deletes } = useParley()
  const [confirming, setConfirming] = useState(false)
  const remove = (): void => {
    setConfirming(false)
    const { sessionId, messageId } = props
    deleteWithUndo({ deletes, notices }, { kind: 'messages', id: messageId, sessionId, messageId }, () =>
      api.deleteMessages(sessionId, messageId)
    )
  }
  if (!confirming) {
    return (
      <IconButton
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
    <span className="delete-confirm" role="group" aria-label="Delete this message and the replies below it?">
      <button type="button" className="button small danger" data-testid="action-delete-confirm" autoFocus onClick={remove}>
        Delete
      </button>
      <button type="button" className="button small" data-testid="action-delete-cancel" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  )
}
