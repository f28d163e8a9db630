import { useState, type JSX } from 'react'
import { sessionRun } from '../../activity/session-activity'
import { actionFailedNotice } from '../../notices/action-failed'
import { useActivity, useParley } from '../../parley-context'
import { IconButton } from '../../ui/IconButton'

/**
 * "< 2/3 >" on a message with siblings (H3): shows the branch through the one before or after it. Main refuses while
 * the chat has a prompt running or waiting (its answer would land on the branch left), so the arrows wait for it too,
 * and say so; a refusal that comes all the same (a prompt sent from elsewhere) is told in the banner.
 */
export function BranchSwitcher(props: { sessionId: string; siblings: readonly string[]; index: number }): JSX.Element {
  const { sessionId, siblings, index } = props
  const { api, notices } = useParley()
  const [switching, setSwitching] = useState(false)
  const run = sessionRun(useActivity(), sessionId)
  const answering = run.busy || run.queue.length > 0
  const later = answering ? ' (once this chat has answered)' : ''
  const show = (siblingId: string | undefined): void => {
    if (siblingId === undefined) return
    setSwitching(true)
    api
      .switchBranch(sessionId, siblingId)
      .catch((error: unknown) => notices.show(actionFailedNotice('Parley could not switch branches', error)))
      .finally(() => setSwitching(false))
  }
  return (
    <span className="branch-switcher" data-testid="branch-switcher">
      <IconButton
        icon="chevron-left"
        size="small"
        label={`Previous version${later}`}
        testId="branch-previous"
        disabled={switching || answering || index === 0}
        onClick={() => show(siblings[index - 1])}
      />
      <span className="branch-position" data-testid="branch-position">
        {index + 1}/{siblings.length}
      </span>
      <IconButton
        icon="chevron-right"
        size="small"
        label={`Next version${later}`}
        testId="branch-next"
        disabled={switching || answering || index === siblings.length - 1}
        onClick={() => show(siblings[index + 1])}
      />
    </span>
  )
}
