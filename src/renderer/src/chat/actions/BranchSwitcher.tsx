import { useEffect, useLayoutEffect, useRef, useState, type FocusEvent, type JSX } from 'react'
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

/** The focus is waiting, not moved on by the person: on the page, or on a switcher whose arrow was disabled under it. */
function waiting(doc: Document, now: Element | null): boolean {
  return !now || now === doc.body || now.classList.contains('branch-switcher')
}

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
  // The arrow that has the focus. Kept when it loses it by being disabled: a browser drops the focus of a control
  // disabled under it on the page, at once or a moment later, with or without a blur.
  const focused = useRef<HTMLButtonElement | null>(null)
  const noteFocus = (event: FocusEvent<HTMLElement>): void => {
    focused.current = [previous.current, next.current].find((arrow) => arrow !== null && arrow === event.target) ?? null
  }
  const noteBlur = (event: FocusEvent<HTMLElement>): void => {
    if (event.target === focused.current && !focused.current.disabled) focused.current = null
  }

  // The arrow with the focus disabled (the first or last version reached, a switch on its way, the chat starting to
  // answer): the focus goes on to the other arrow, else to the switcher itself, which says which version this is;
  // not to the page. Before paint, while the browser still has it on the disabled arrow.
  useLayoutEffect(() => {
    const arrow = focused.current
    if (!arrow?.disabled) return
    focused.current = null
    const doc = arrow.ownerDocument
    const now = doc.activeElement
    if (now !== arrow && !waiting(doc, now)) return
    const other = arrow === previous.current ? next.current : previous.current
    if (other && !other.disabled) other.focus()
    else holder.current?.focus()
  })

  // The same arrow again, or the other one at the last version, or the composer while the chat answers; not if the
  // person has put the focus somewhere else meanwhile.
  useEffect(() => {
    if (shownId === undefined || arrowPressed?.messageId !== shownId) return
    const { arrow } = arrowPressed
    arrowPressed = undefined
    const doc = holder.current?.ownerDocument ?? document
    const now = doc.activeElement
    if (!waiting(doc, now) && !holder.current?.contains(now)) return
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
    <span
      ref={holder}
      className="branch-switcher"
      data-testid="branch-switcher"
      role="group"
      aria-label={`Version ${index + 1} of ${siblings.length}${answering ? ' (switching waits until this chat has answered)' : ''}`}
      tabIndex={-1}
      onFocus={noteFocus}
      onBlur={noteBlur}
    >
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
