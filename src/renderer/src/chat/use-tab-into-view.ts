import { useEffect, type RefObject } from 'react'
import { nextTabStop, tabStops } from '../ui/tab-stops'
import { stopInView } from './tab-into-view'
import { virtuosoParts } from './virtuoso-parts'

const span = (element: Element): { top: number; bottom: number } => element.getBoundingClientRect()

/** Whether `stop` comes after `list` and all it holds, in the page's order. */
const after = (list: Element, stop: Element): boolean =>
  !list.contains(stop) && (list.compareDocumentPosition(stop) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0

/**
 * Tab and Shift+Tab into the chat's list land on what is shown (`stopInView`). The list draws rows beyond what it
 * shows, so the next stop in the page's order was often out of sight: Tab from the list's scroller went to a control
 * in the rows drawn above it, Shift+Tab from the composer (the reader scrolled up) to one far below, and the list
 * jumped there. Now, when the keyboard's next stop is in the list and out of sight, and the focus was not already in
 * its rows, the first control in view takes it (the last, going back). Inside the list Tab goes on in the page's
 * order, as everywhere; with nothing in view, or a dialog open (it keeps the focus itself), the browser decides.
 */
export function useTabIntoView(frame: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    // Read as each key comes: the list's frame is not there while the chat is empty (a new chat's first answer).
    const page = document
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Tab' || event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return
      const scroller = virtuosoParts(frame.current)?.scroller
      if (!scroller || page.querySelector('[aria-modal="true"]')) return
      const from = page.activeElement
      if (from && from !== scroller && scroller.contains(from)) return
      const step = event.shiftKey ? -1 : 1
      const stops = tabStops(page.body)
      const next = nextTabStop(stops, from, step)
      if (!next || next === scroller || !scroller.contains(next)) return
      const view = span(scroller)
      const at = span(next)
      if (at.top >= view.top && at.bottom <= view.bottom) return
      const rows = tabStops(scroller).filter((stop) => stop !== scroller)
      // Nothing to press in view (the middle of a long answer): back, the list itself (its keys scroll it); on, what
      // comes after the list.
      const target = stopInView(rows, span, view, step) ?? (step === -1 ? scroller : stops.find((stop) => after(scroller, stop)))
      if (!target) return
      event.preventDefault()
      target.focus()
    }
    page.addEventListener('keydown', onKey, true)
    return () => page.removeEventListener('keydown', onKey, true)
  }, [frame])
}
