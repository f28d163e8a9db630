import { useLayoutEffect, type RefObject } from 'react'

/** The attribute the chat list's frame carries while all of its rows fit in its view (styles.css shows them then). */
export const fitsAttribute = 'data-fits'

/** Whether a list whose content is `contentHeight` tall fits, with nothing to scroll, in a view `viewHeight` tall. */
export function listFits(contentHeight: number, viewHeight: number): boolean {
  return viewHeight > 0 && contentHeight <= viewHeight
}

/**
 * Marks the list's frame (`fitsAttribute`) while every row fits in the view. Virtuoso hides its rows until a scroll to
 * its opening place has landed, and a scroll that moves nothing never lands: a new chat's first prompt and answer
 * were drawn but unseen for 170–300 ms, and under load for seconds (an edit box opened then could not take the focus).
 * When nothing can scroll, the rows are already where they open, so they are shown at once. Set from a
 * ResizeObserver, before the frame is painted, so a list that grows past its view is hidden again in the same frame.
 */
export function useListFits(frame: RefObject<HTMLElement | null>, listKey: string): void {
  useLayoutEffect(() => {
    const root = frame.current
    const scroller = root?.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')
    const items = root?.querySelector<HTMLElement>('[data-testid="virtuoso-item-list"]')
    if (!root || !scroller || !items) return
    const check = (): void => {
      root.toggleAttribute(fitsAttribute, listFits(scroller.scrollHeight, scroller.clientHeight))
    }
    const observer = new ResizeObserver(check)
    observer.observe(scroller)
    observer.observe(items)
    check()
    return () => {
      observer.disconnect()
      root.removeAttribute(fitsAttribute)
    }
  }, [frame, listKey])
}
