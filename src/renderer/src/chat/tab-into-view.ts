/** A box's top and bottom on the page (a `DOMRect`'s, or the list's scroller's). */
export interface Span {
  top: number
  bottom: number
}

/**
 * Which of the list's tab stops the keyboard should land on when it comes into the list: the first one wholly in
 * `view` (coming down, with Tab), or the last one (coming up, with Shift+Tab). The list draws rows a screen beyond
 * what it shows, so the first stop in the page's order is often out of sight above, and Tab landed there: the list
 * jumped, and the focus was on a control no one could see. Undefined when no stop is in view.
 */
export function stopInView<T>(stops: readonly T[], spanOf: (stop: T) => Span, view: Span, direction: 1 | -1): T | undefined {
  const inView = (stop: T): boolean => {
    const span = spanOf(stop)
    return span.bottom > span.top && span.top >= view.top && span.bottom <= view.bottom
  }
  return direction === 1 ? stops.find(inView) : stops.findLast(inView)
}
