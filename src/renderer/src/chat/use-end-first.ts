import { useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { textsOf, type Message } from '../../../shared'

/**
 * Where a list opened end first is: drawing its last row alone, drawing the rows above it (their sizes still coming
 * in, each re-measure moving the list back to its bottom while it follows), or settled. `off`: the list opens the
 * usual way (Virtuoso's `initialTopMostItemIndex`).
 */
export type EndFirstPhase = 'off' | 'last' | 'settling' | 'settled'

/**
 * The rows drawn first: the last few, not the last alone. Virtuoso takes the first row it measures as the size of every
 * row it hasn't (and of each page prepended later): after the bench's last answer (364 px, a code block and a formula)
 * each row above was taken to be that tall, three times their size, and a scroll to the top took 40 s instead of 13;
 * after an answer 2,500 px tall, a scroll up was carried back to the bottom as the rows above it were measured.
 */
export const firstRows = 6

/** Characters a line of a message holds, at the narrowest the reading column is drawn (roughly). */
const lineChars = 80

/**
 * The most lines (roughly, ~1,300 px) the first rows may have in all: drawn at once, all of them, in most views. The
 * bench's last six (five of prose, one with a formula and a code block) have about 40 and are ~970 px tall.
 */
export const mostFirstLines = 60

/**
 * Whether a chat's last messages can be drawn first: text only (no attachment, whose picture's height is not known
 * from its text), in at most `mostFirstLines` lines in all, each text line counted by its length (blank ones, between
 * paragraphs, not counted). Taller, the list
 * opens the usual way: scrolled to the bottom of rows Virtuoso had not all drawn, it drew none for a frame and then
 * the wrong ones (a last answer 2,500 px tall).
 */
export function shortEnoughFirst(messages: readonly Pick<Message, 'parts' | 'attachments'>[]): boolean {
  let lines = 0
  for (const message of messages.slice(-firstRows)) {
    if ((message.attachments?.length ?? 0) > 0) return false
    for (const line of textsOf(message).text.split('\n')) {
      lines += Math.ceil(line.trim().length / lineChars)
      if (lines > mostFirstLines) return false
    }
  }
  return true
}

/** The data index of the last row the list draws now (it draws the last `firstRows` first). */
export function lastDrawnIndex(phase: EndFirstPhase, rows: number): number {
  return phase === 'last' ? Math.min(firstRows, rows) - 1 : rows - 1
}

/**
 * Frames the rows above the last are given to be drawn and measured before the list counts as settled: a scroll made
 * before then (a test's, in one frame) was undone by the list keeping to its bottom as the next rows were measured.
 */
export const settlingFrames = 6

/**
 * How a long chat opened at its end is drawn (`eligible`, read once per opening `listKey`: a chat with more rows than
 * one page, so that its rows, once all drawn, are taller than the view, as a short chat drawn bottom-up would move to
 * the top when the rest came; and whose last messages are `shortEnoughFirst`).
 *
 * Its last `firstRows` are drawn first, kept at the bottom of the view (Virtuoso's `alignToBottom` when they are
 * shorter than it; scrolled to the bottom before each frame is painted when taller), and shown once the last one is
 * drawn there (`useListShown`); the rows above them come the next frame, prepended as a page read above is. Opened at
 * its last row through `initialTopMostItemIndex`, Virtuoso waited four frames, drew a screenful, and kept it hidden
 * until its scroll there had gone 150 ms without a re-measure.
 */
export function useEndFirst(
  frame: RefObject<HTMLElement | null>,
  listKey: string,
  eligible: boolean,
  /** How many rows the list has in all. */
  rows: number,
  /** Told the list is at its bottom once its last row is there (Virtuoso says so only when it moves there). */
  atBottom: (atBottom: boolean) => void
): EndFirstPhase {
  const decided = useRef<{ key: string; eligible: boolean } | undefined>(undefined)
  if (decided.current?.key !== listKey) decided.current = { key: listKey, eligible }
  const [reached, setReached] = useState<{ key: string; phase: 'settling' | 'settled' } | undefined>(undefined)
  const bottom = useRef(atBottom)
  bottom.current = atBottom
  const rowsNow = useRef(rows)
  rowsNow.current = rows
  const phase: EndFirstPhase = !decided.current.eligible ? 'off' : reached?.key === listKey ? reached.phase : 'last'

  useLayoutEffect(() => {
    if (phase !== 'last') return
    const root = frame.current
    const scroller = root?.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')
    const items = root?.querySelector<HTMLElement>('[data-testid="virtuoso-item-list"]')
    if (!scroller || !items) return
    let next = 0
    let scrolling = 0
    const observer = new ResizeObserver(() => {
      if (items.childElementCount === 0 || scroller.clientHeight === 0) return
      const drawn = items.querySelector(`[data-index="${String(lastDrawnIndex('last', rowsNow.current))}"]`) !== null
      // Every first row drawn: their heights are real, and the bottom is where the frame about to be painted shows.
      if (drawn) scroller.scrollTop = scroller.scrollHeight
      else {
        // Not yet (rows taller than the view and its margin): to the bottom in the next frame, once Virtuoso has taken
        // in the sizes it measured now. Scrolled at once, past the heights it still guessed, it drew no row for a
        // frame, then the wrong ones.
        if (scrolling === 0) {
          scrolling = requestAnimationFrame(() => {
            scrolling = 0
            scroller.scrollTop = scroller.scrollHeight
          })
        }
        return
      }
      if (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) return
      observer.disconnect()
      bottom.current(true)
      next = requestAnimationFrame(() => setReached({ key: listKey, phase: 'settling' }))
    })
    observer.observe(scroller)
    observer.observe(items)
    return () => {
      observer.disconnect()
      cancelAnimationFrame(next)
      cancelAnimationFrame(scrolling)
    }
  }, [frame, listKey, phase])

  // While the rows above are drawn and measured, the list is kept at its bottom before each frame is painted (the
  // reader's wheel is held meanwhile, useListShown): a row measured taller than guessed moved the last one down by
  // as much for a frame, until the list caught up.
  useLayoutEffect(() => {
    if (phase !== 'settling') return
    const root = frame.current
    const scroller = root?.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')
    const items = root?.querySelector<HTMLElement>('[data-testid="virtuoso-item-list"]')
    const pin = new ResizeObserver(() => {
      if (scroller) scroller.scrollTop = scroller.scrollHeight
    })
    if (scroller && items) {
      pin.observe(items)
      pin.observe(scroller)
    }
    let left = settlingFrames
    let next = 0
    const tick = (): void => {
      left -= 1
      if (left > 0) next = requestAnimationFrame(tick)
      else setReached({ key: listKey, phase: 'settled' })
    }
    next = requestAnimationFrame(tick)
    return () => {
      pin.disconnect()
      cancelAnimationFrame(next)
    }
  }, [frame, listKey, phase])
  return phase
}
