import { useLayoutEffect, useRef, type RefObject } from 'react'
import { virtuosoPlaced } from './use-opening-gate'
import { virtuosoParts } from './virtuoso-parts'

/** The attribute the chat list's frame carries once its rows are where the list opens (styles.css shows them then). */
export const shownAttribute = 'data-shown'

/**
 * The attribute the frame carries once Virtuoso itself counts its scroll to the opening place as landed: a scroll
 * before then (the reader's, or a test's) may be pulled back there by Virtuoso's retry.
 */
export const placedAttribute = 'data-placed'

/**
 * Whether a drawn row still shows an answer as written while it is formatted in the background (Markdown.tsx): a list
 * opening waits for it, so a chat opens formatted, as before, without holding the window while it is formatted.
 */
export function formattingIn(items: Element): boolean {
  return items.querySelector('[data-formatting]') !== null
}

/** The scroller's heights and place, as `listFits` and `atItsEnd` read them. */
export interface ScrollerHeights {
  readonly scrollHeight: number
  readonly clientHeight: number
}

export interface ScrollerPlace extends ScrollerHeights {
  readonly scrollTop: number
}

/**
 * Whether the list's rows fit in its view with `drawnRows` of them drawn: then nothing can scroll, so they are where
 * the list opens, whatever place that is. (An empty list fits trivially, before its rows are drawn: that says nothing.)
 */
export function listFits(scroller: ScrollerHeights, drawnRows: number): boolean {
  return scroller.clientHeight > 0 && drawnRows > 0 && scroller.scrollHeight <= scroller.clientHeight
}

/**
 * Whether a list opened at its end is there: its last row is drawn and the scroller is at its bottom (a pixel of
 * rounding aside). Before Virtuoso's scroll to the end, no row is drawn; just after it, the rows are drawn but the
 * scroll is where the estimated heights put it, short of the bottom, until Virtuoso moves it a frame later.
 */
export function atItsEnd(scroller: ScrollerPlace, lastRowDrawn: boolean): boolean {
  return lastRowDrawn && scroller.clientHeight > 0 && scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1
}

/**
 * What the list opened at: its end (`lastIndex`, its last row's index in the rows drawn now; not `settled` while it is
 * drawn end first and the rows above its last few are still coming, `useEndFirst`, which shows those itself while
 * `placedByEndFirst`), or a message.
 */
export type ListOpening = { kind: 'end'; lastIndex: number; settled: boolean; placedByEndFirst: boolean } | { kind: 'message' }

/**
 * The longest the wheel is held after a list opened at its end is shown: an answer streaming into it re-measures its
 * last row with every token, and Virtuoso counts its scroll there as landed only 150 ms after the last re-measure.
 */
export const mostHoldMs = 1000

/**
 * Marks the list's frame (`shownAttribute`) once its rows are where it opens, for as long as the list (`listKey`)
 * lasts: when they fit in the view, or, opened at its end, when the last row is drawn at the bottom. Looked at from a
 * ResizeObserver, on scroll and in the next frame's callbacks, all before the frame is painted.
 *
 * Virtuoso hides its rows until its scroll to its opening place has landed: four frames after it mounts it scrolls
 * there, then waits for 150 ms without a re-measure (each re-measure scrolls again). A new chat's rows were drawn but
 * unseen for 170–300 ms, and under load for seconds (an edit box opened then could not take the focus); every chat
 * opened at its end was blank for ~170 ms after its rows were in place. Once shown, always shown: a list that outgrows
 * its view later (a long answer streaming in) must not go blank.
 *
 * Until Virtuoso counts its scroll as landed, a scroll up would be pulled back to the end by its retry: the wheel and
 * touch moves of those ~150 ms are held (not scrolled), as they are while a list opened end first settles.
 * `placedAttribute` tells when scrolling is free. A list opened at a message is left to Virtuoso: its place is the
 * message centred, which only Virtuoso knows it has reached.
 */
export function useListShown(frame: RefObject<HTMLElement | null>, listKey: string, opening: ListOpening): void {
  const openingNow = useRef(opening)
  openingNow.current = opening
  const settled = opening.kind === 'message' || opening.settled
  const lookAgain = useRef<() => void>(() => undefined)
  useLayoutEffect(() => {
    const root = frame.current
    const parts = virtuosoParts(root)
    if (!root || !parts) return
    const { scroller, items } = parts
    const hold = (event: Event): void => event.preventDefault()
    const holding = { on: false }
    const setHolding = (on: boolean): void => {
      if (holding.on === on) return
      holding.on = on
      // In the capture phase: before the list's own wheel listener (use-follow-bottom), which leaves a held wheel be.
      for (const type of ['wheel', 'touchmove']) {
        if (on) scroller.addEventListener(type, hold, { passive: false, capture: true })
        else scroller.removeEventListener(type, hold, { capture: true })
      }
    }
    const lastRowDrawn = (): boolean => {
      const current = openingNow.current
      return current.kind === 'end' && items.querySelector(`[data-index="${current.lastIndex}"]`) !== null
    }
    const placed = (): boolean => {
      const current = openingNow.current
      return virtuosoPlaced(root) && (current.kind === 'message' || current.settled)
    }
    const unsettled = (): boolean => {
      const current = openingNow.current
      return current.kind === 'end' && !current.settled
    }
    let shownAtItsEnd = false
    let shownAt = 0
    const placedByEndFirst = (): boolean => {
      const current = openingNow.current
      return current.kind === 'end' && current.placedByEndFirst
    }
    const look = (): void => {
      if (!root.hasAttribute(shownAttribute) && !placedByEndFirst()) {
        const fits = listFits(scroller, items.childElementCount)
        const atEnd = !fits && atItsEnd(scroller, lastRowDrawn())
        if ((fits || atEnd) && !formattingIn(items)) {
          shownAtItsEnd = atEnd
          root.setAttribute(shownAttribute, '')
          shownAt = performance.now()
        }
      }
      if (placed()) {
        // Virtuoso shows its rows itself now: the mark changes nothing, and nothing is left to look for.
        root.setAttribute(shownAttribute, '')
        root.setAttribute(placedAttribute, '')
        stop()
        return
      }
      // A list that fits has nothing to scroll, and a new chat's may not be placed for as long as its answer grows.
      setHolding((shownAtItsEnd && performance.now() - shownAt < mostHoldMs) || unsettled())
    }
    // Looks asked for while the page is being changed (this effect, Virtuoso's style changes, the opening settling) wait
    // for the next frame's callbacks, where the layout is done anyway: read here, the heights made the browser lay out
    // the rows just committed inside React's task (12 ms of a 59 ms task, opening a chat of long answers). Shown in
    // that frame all the same, before it is painted. A ResizeObserver's and a scroll's look come with a fresh layout.
    let frameAsked = 0
    const lookInFrame = (): void => {
      if (frameAsked === 0)
        frameAsked = requestAnimationFrame(() => {
          frameAsked = 0
          look()
        })
    }
    lookAgain.current = lookInFrame
    const observer = new ResizeObserver(() => look())
    const styleWatch = new MutationObserver(lookInFrame)
    const stop = (): void => {
      observer.disconnect()
      styleWatch.disconnect()
      scroller.removeEventListener('scroll', look)
      cancelAnimationFrame(frameAsked)
      frameAsked = 0
      setHolding(false)
    }
    styleWatch.observe(items, { attributes: true, attributeFilter: ['style'] })
    observer.observe(scroller)
    observer.observe(items)
    scroller.addEventListener('scroll', look)
    lookInFrame()
    return () => {
      stop()
      lookAgain.current = () => undefined
      root.removeAttribute(shownAttribute)
      root.removeAttribute(placedAttribute)
    }
  }, [frame, listKey])
  // A list opened end first is placed once it has settled.
  useLayoutEffect(() => {
    if (settled) lookAgain.current()
  }, [settled])
}
