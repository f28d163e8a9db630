import { useLayoutEffect, useRef, type RefObject } from 'react'
import { virtuosoPlaced } from './use-opening-gate'

/** The attribute the chat list's frame carries once its rows are where the list opens (styles.css shows them then). */
export const shownAttribute = 'data-shown'

/**
 * The attribute the frame carries once Virtuoso itself counts its scroll to the opening place as landed: a scroll
 * before then (the reader's, or a test's) may be pulled back there by Virtuoso's retry.
 */
export const placedAttribute = 'data-placed'

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

/** What the list opened at: its end (`rows` in all, for its last row's index), or a message. */
export type ListOpening = { kind: 'end'; rows: number } | { kind: 'message' }

/**
 * Marks the list's frame (`shownAttribute`) once its rows are where it opens, for as long as the list (`listKey`)
 * lasts: when they fit in the view, or, opened at its end, when the last row is drawn at the bottom. Looked at from a
 * ResizeObserver and on scroll, before the frame is painted.
 *
 * Virtuoso hides its rows until its scroll to its opening place has landed: four frames after it mounts it scrolls
 * there, then waits for 150 ms without a re-measure (each re-measure scrolls again). A new chat's rows were drawn but
 * unseen for 170–300 ms, and under load for seconds (an edit box opened then could not take the focus); every chat
 * opened at its end was blank for ~170 ms after its rows were in place. Once shown, always shown: a list that outgrows
 * its view later (a long answer streaming in) must not go blank.
 *
 * Until Virtuoso counts its scroll as landed, a scroll up would be pulled back to the end by its retry: the wheel and
 * touch moves of those ~150 ms are held (not scrolled), and `placedAttribute` tells when scrolling is free. A list
 * opened at a message is left to Virtuoso: its place is the message centred, which only Virtuoso knows it has reached.
 */
export function useListShown(frame: RefObject<HTMLElement | null>, listKey: string, opening: ListOpening): void {
  const openingNow = useRef(opening)
  openingNow.current = opening
  useLayoutEffect(() => {
    const root = frame.current
    const scroller = root?.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')
    const items = root?.querySelector<HTMLElement>('[data-testid="virtuoso-item-list"]')
    if (!root || !scroller || !items) return
    const hold = (event: Event): void => event.preventDefault()
    const holding = { on: false }
    const stopHolding = (): void => {
      if (!holding.on) return
      holding.on = false
      scroller.removeEventListener('wheel', hold)
      scroller.removeEventListener('touchmove', hold)
    }
    const observer = new ResizeObserver(() => look())
    const placedWatch = new MutationObserver(() => watchPlaced())
    const watchPlaced = (): void => {
      if (!virtuosoPlaced(root)) return
      root.setAttribute(placedAttribute, '')
      placedWatch.disconnect()
      stopHolding()
    }
    const lastRowDrawn = (): boolean => {
      const current = openingNow.current
      return current.kind === 'end' && items.querySelector(`[data-index="${current.rows - 1}"]`) !== null
    }
    const look = (): void => {
      const fits = listFits(scroller, items.childElementCount)
      if (!fits && !atItsEnd(scroller, lastRowDrawn())) return
      root.setAttribute(shownAttribute, '')
      observer.disconnect()
      scroller.removeEventListener('scroll', look)
      if (fits || virtuosoPlaced(root)) return
      holding.on = true
      scroller.addEventListener('wheel', hold, { passive: false })
      scroller.addEventListener('touchmove', hold, { passive: false })
    }
    placedWatch.observe(items, { attributes: true, attributeFilter: ['style'] })
    watchPlaced()
    observer.observe(scroller)
    observer.observe(items)
    scroller.addEventListener('scroll', look)
    look()
    return () => {
      observer.disconnect()
      placedWatch.disconnect()
      stopHolding()
      scroller.removeEventListener('scroll', look)
      root.removeAttribute(shownAttribute)
      root.removeAttribute(placedAttribute)
    }
  }, [frame, listKey])
}
