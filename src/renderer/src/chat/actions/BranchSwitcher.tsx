import { useEffect, useRef, useState, type JSX } from 'react'
import { sessionRun } from '../../activity/session-activity'
import { focusComposer } from '../../composer/focus-composer'
import { actionFailedNotice } from '../../notices/action-failed'
import { useActivity, useParley } from '../../parley-context'
import { IconButton } from '../../ui/IconButton'

type Arrow = 'previous' | 'next'

/**
 * The arrow pressed last and the version it asked for. The chat draws each version in a row of its own, so the arrow
 * that had the focus goes with the version left: the switcher drawn for the version shown takes the focus back (this
 * one again when main refused).
 */
let arrowPressed: { messageId: string; arrow: Arrow } | undefined

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
  const shownId = siblings[index]
  const holder = useRef<HTMLSpanElement>(null)
  const previous = useRef<HTMLButtonElement>(null)
  const next = useRef<HTMLButtonElement>(null)

  // The same arrow again, or the other one at the last version, or the composer while the chat answers; not if the
  // person has put the focus somewhere else meanwhile.
  useEffect(() => {
    if (shownId === undefined || arrowPressed?.messageId !== shownId) return
    const { arrow } = arrowPressed
    arrowPressed = undefined
    const doc = holder.current?.ownerDocument ?? document
    const now = doc.activeElement
    if (now && now !== doc.body && !holder.current?.contains(now)) return
    const order = arrow === 'previous' ? [previous.current, next.current] : [next.current, previous.current]
    const button = order.find((candidate) => candidate && !candidate.disabled)
    if (button) button.focus()
    else focusComposer(doc)
  })

  const show = (siblingId: string | undefined, arrow: Arrow): void => {
    if (siblingId === undefined) return
    arrowPressed = { messageId: siblingId, arrow }
    setSwitching(true)
    api
      .switchBranch(sessionId, siblingId)
      .catch((error: unknown) => {
        if (shownId !== undefined && arrowPressed?.messageId === siblingId) arrowPressed = { messageId: shownId, arrow }
        notices.show(actionFailedNotice('Parley could not switch branches', error))
      })
      .finally(() => setSwitching(false))
  }
  return (
    <span ref={holder} className="branch-switcher" data-testid="branch-switcher">
      <IconButton
        ref={previous}
        icon="chevron-left"
        size="small"
        label={`Previous version${later}`}
        testId="branch-previous"
        disabled={switching || answering || index === 0}
        onClick={() => show(siblings[index - 1], 'previous')}
      />
      <span className="branch-position" data-testid="branch-position">
        {index + 1}/{siblings.length}
      </span>
      <IconButton
        ref={next}
        icon="chevron-right"
        size="small"
        label={`Next version${later}`}
        testId="branch-next"
        disabled={switching || answering || index === siblings.length - 1}
        onClick={() => show(siblings[index + 1], 'next')}
      />
    </span>
  )
}
