/** The most frames `focusWhenShown` keeps trying (about a second at 60 Hz). */
export const mostFocusFrames = 60

export interface FocusScheduler {
  next(run: () => void): number
  cancel(handle: number): void
}

const frames: FocusScheduler = {
  next: (run) => requestAnimationFrame(run),
  cancel: (handle) => cancelAnimationFrame(handle)
}

/**
 * Focuses `element` now, or as soon as it can take the focus: an element under a hidden ancestor (a row of the chat
 * list while Virtuoso still hides it) refuses `focus()` without a word. It tries again each frame, at most
 * `mostFocusFrames` times, and gives up at once if the focus moved anywhere else meanwhile (the person went on).
 * Answers a function that stops trying.
 */
export function focusWhenShown(element: HTMLElement, scheduler: FocusScheduler = frames): () => void {
  const doc = element.ownerDocument
  const before = doc.activeElement
  let handle: number | undefined
  let tries = 0
  const attempt = (): void => {
    handle = undefined
    if (!element.isConnected || doc.activeElement === element) return
    if (tries > 0 && doc.activeElement !== before) return
    element.focus()
    tries += 1
    if (doc.activeElement !== element && tries < mostFocusFrames) handle = scheduler.next(attempt)
  }
  attempt()
  return () => {
    if (handle !== undefined) scheduler.cancel(handle)
  }
}
