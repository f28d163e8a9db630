import { useState, type JSX } from 'react'
import { messageText } from '../../../../shared'
import type { MessageRow } from '../../db/schema'
import { actionFailedNotice } from '../../notices/action-failed'
import { useParley } from '../../parley-context'
import { retryRun } from '../retry-run'
import { BranchSwitcher } from './BranchSwitcher'
import { DeleteMessage } from './DeleteMessage'

function ActionButton(props: { label: string; testId: string; disabled?: boolean; onClick: () => void; children: string }): JSX.Element {
  return (
    <button
      type="button"
      className="icon-button small message-action"
      aria-label={props.label}
      title={props.label}
      data-testid={props.testId}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  )
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
  const copy = (): void => {
    navigator.clipboard
      .writeText(messageText(message))
      .catch((error: unknown) => notices.show(actionFailedNotice('Parley could not copy this message', error)))
  }
  const regenerate = (): void => {
    setBusy(true)
    void retryRun({ api, activity, db }, message)
      .then((outcome) => {
        if (!outcome.ok) notices.show(actionFailedNotice('Parley could not regenerate this answer', outcome.error))
      })
      .finally(() => setBusy(false))
  }
  const answer = message.role === 'assistant'
  return (
    <div className="message-actions" data-testid="message-actions" role="toolbar" aria-label="Message actions">
      {props.siblings.length > 1 ? (
        <BranchSwitcher sessionId={message.sessionId} siblings={props.siblings} index={props.index} />
      ) : null}
      <ActionButton label="Copy as Markdown" testId="action-copy" onClick={copy}>
        ⧉
      </ActionButton>
      {answer ? (
        <ActionButton label="Regenerate" testId="action-regenerate" disabled={busy || message.status === 'streaming'} onClick={regenerate}>
          ↻
        </ActionButton>
      ) : (
        <ActionButton label="Edit" testId="action-edit" onClick={props.onEdit}>
          ✎
        </ActionButton>
      )}
      {message.status === 'streaming' ? null : <DeleteMessage sessionId={message.sessionId} messageId={message.id} />}
    </div>
  )
}
