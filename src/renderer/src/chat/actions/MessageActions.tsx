import { useState, type JSX } from 'react'
import { focusComposer } from '../../composer/focus-composer'
import type { MessageRow } from '../../db/schema'
import { useParley } from '../../parley-context'
import type { IconName } from '../../ui/icons'
import { IconButton } from '../../ui/IconButton'
import { BranchSwitcher } from './BranchSwitcher'
import { DeleteMessage } from './DeleteMessage'
import { copyMessage, regenerateAnswer } from './message-commands'

function ActionButton(props: { icon: IconName; label: string; testId: string; disabled?: boolean; onClick: () => void }): JSX.Element {
  return <IconButton {...props} size="small" className="message-action" />
}

/**
 * What can be done with a message, shown on hover and on keyboard focus: copy it as Markdown, regenerate an answer
 * (H3: its prompt answered again, beside it), edit a prompt, delete it with the branch below it, and the "< 2/3 >" switcher between its versions.
 */
export function MessageActions(props: {
  message: MessageRow
  siblings: readonly string[]
  index: number
  onEdit: () => void
}): JSX.Element {
  const { message } = props
  const { api, activity, db, notices } = useParley()
  const [busy, setBusy] = useState(false)
  const copy = (): void => void copyMessage({ notices }, message)
  const regenerate = (): void => {
    setBusy(true)
    void regenerateAnswer({ api, activity, db, notices }, message).finally(() => setBusy(false))
    // The button waits, and the new answer takes this one's place: the focus waits in the composer (where Esc stops it).
    focusComposer(document)
  }
  const answer = message.role === 'assistant'
  return (
    <div className="message-actions" data-testid="message-actions" role="toolbar" aria-label="Message actions">
      {props.siblings.length > 1 ? (
        <BranchSwitcher sessionId={message.sessionId} siblings={props.siblings} index={props.index} />
      ) : null}
      <ActionButton icon="copy" label="Copy as Markdown" testId="action-copy" onClick={copy} />
      {answer ? (
        <ActionButton
          icon="regenerate"
          label="Regenerate"
          testId="action-regenerate"
          disabled={busy || message.status === 'streaming'}
          onClick={regenerate}
        />
      ) : (
        <ActionButton icon="pencil" label="Edit" testId="action-edit" onClick={props.onEdit} />
      )}
      {message.status === 'streaming' ? null : <DeleteMessage sessionId={message.sessionId} messageId={message.id} />}
    </div>
  )
}
