import { useLayoutEffect, type RefObject } from 'react'

/** The attribute the chat list's frame carries once its rows are where the list opens (styles.css shows them then). */
export const shownAttribute = 'data-shown'

/** The scroller's heights, as `listFits` reads them. */
export interface ScrollerHeights {
  readonly scrollHeight: number
  readonly clientHeight: number
}

/**
 * Whether the list's rows fit in its view with `drawnRows` of them drawn: then nothing can scroll, so they are where
 * the list opens, whatever place that is. (An empty list fits trivially, before its rows are drawn: that says nothing.)
 */
export function listFits(scroller: ScrollerHeights, drawnRows: number): boolean {
  return scroller.clientHeight > 0 && drawnRows > 0 && scroller.scrollHeight <= scroller.clientHeight
}

/**
 * Marks the list's frame (`shownAttribute`) once its rows fit in the view, for as long as the list (`listKey`) lasts.
 * Virtuoso hides its rows until its scroll to its opening place has landed (150 ms with no re-measure; each re-measure
 * before then scrolls again). A new chat's rows, coming in one by one, were drawn but unseen for 170–300 ms, and under
 * load for seconds (an edit box opened then could not take the focus). When nothing can scroll, they are in place. Looked at from a ResizeObserver, before the frame is painted. Once shown, always shown: a list that
 * outgrows its view later (a long answer streaming in) must not go blank.
 *
 * A list that can scroll is left to Virtuoso: shown as soon as it is in place (~150 ms sooner), a chat opened at its
 * end was pulled back there by Virtuoso's own retry when the reader scrolled up in its first moments.
 */
export function useListShown(frame: RefObject<HTMLElement | null>, listKey: string): void {
  useLayoutEffect(() => {
    const root = frame.current
    const scroller = root?.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')
    const items = root?.querySelector<HTMLElement>('[data-testid="virtuoso-item-list"]')
    if (!root || !scroller || !items) return
    const observer = new ResizeObserver(() => look())
    const look = (): void => {
      if (!listFits(scroller, items.childElementCount)) return
      root.setAttribute(shownAttribute, '')
      observer.disconnect()
    }
    observer.observe(scroller)
    observer.observe(items)
    look()
    return () => {
      observer.disconnect()
      root.removeAttribute(shownAttribute)
    }
  }, [frame, listKey])
}
