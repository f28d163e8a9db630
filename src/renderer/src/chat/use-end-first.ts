import { useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { textsOf, type Message } from '../../../shared'
import { writtenLines } from './row-height'
import { formattingIn, shownAttribute } from './use-list-shown'
import { virtuosoParts } from './virtuoso-parts'

/**
 * Where a list opened end first is: drawing its last rows (`firstRows`) alone, drawing the rows above them (their
 * sizes still coming in; the list is kept at its bottom meanwhile), or settled. `off`: the list opens the
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

/** The most lines (roughly, ~550 px) a last message may have to be drawn first when it isn't streaming. */
export const mostLastLines = 24

/**
 * Whether a chat can be drawn end first, by its last message: one that is streaming (opened the usual way, Virtuoso
 * would keep it blank until the answer ends, see `useEndFirst`), or one no taller than most views: text only (no
 * attachment, whose picture's height its text doesn't tell) in at most `mostLastLines` lines, each counted by its
 * length, blank ones left out. After a finished answer 2,500 px tall, Virtuoso put the rows above it back where its
 * guesses had them a frame after they were drawn, and the list showed them instead of the answer's end for that frame.
 */
export function drawableEndFirst(last: Pick<Message, 'parts' | 'attachments' | 'status'>): boolean {
  if (last.status === 'streaming') return true
  if ((last.attachments?.length ?? 0) > 0) return false
  return writtenLines(textsOf(last).text) <= mostLastLines
}

/** Frames the first rows are given to be drawn at the bottom; past them they are shown wherever they are. */
export const mostPlacingFrames = 30

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
 * How a chat opened at its end is drawn (`eligible`, read once per opening `listKey`: a chat with more rows than
 * `firstRows`, as a new chat's first rows are drawn from the top as they come, and `drawableEndFirst`).
 *
 * Its last `firstRows` are drawn first, hidden, at the bottom of the view (Virtuoso's `alignToBottom` when they are
 * shorter than it; scrolled there when taller), and shown once the last one is drawn there, looked at a frame after
 * they are drawn; the rows above them come right after, prepended as a page read above is. Opened at its last row through `initialTopMostItemIndex`,
 * Virtuoso waited four frames, drew a screenful, and kept it hidden until its scroll there had gone 150 ms without a
 * re-measure: for as long as an answer streamed into it (each token a re-measure), the chat stayed blank.
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
    const parts = virtuosoParts(root)
    if (!parts) return
    const { scroller, items } = parts
    // Looked at in the frame after the rows were drawn or moved, once Virtuoso has taken in the sizes it measured (it
    // does so in that frame, before us): scrolled at once, past the heights it still guessed, it drew no row for a
    // frame and then the wrong ones (a last answer 2,500 px tall). Shown once the last row is drawn at the bottom.
    let tick = 0
    let frames = 0
    const look = (): void => {
      tick = 0
      frames += 1
      if (items.childElementCount === 0 || scroller.clientHeight === 0) return
      const drawn = items.querySelector(`[data-index="${String(lastDrawnIndex('last', rowsNow.current))}"]`) !== null
      scroller.scrollTop = scroller.scrollHeight
      const atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1
      if ((!drawn || !atBottom || formattingIn(items)) && frames < mostPlacingFrames) {
        later()
        return
      }
      observer.disconnect()
      root?.setAttribute(shownAttribute, '')
      bottom.current(true)
      setReached({ key: listKey, phase: 'settling' })
    }
    const later = (): void => {
      if (tick === 0) tick = requestAnimationFrame(look)
    }
    const observer = new ResizeObserver(later)
    observer.observe(scroller)
    observer.observe(items)
    return () => {
      observer.disconnect()
      cancelAnimationFrame(tick)
    }
  }, [frame, listKey, phase])

  // While the rows above are drawn and measured, the list is kept at its bottom before each frame is painted (the
  // reader's wheel is held meanwhile, useListShown): a row measured taller than guessed moved the last one down by
  // as much for a frame, until the list caught up.
  useLayoutEffect(() => {
    if (phase !== 'settling') return
    const parts = virtuosoParts(frame.current)
    const toBottom = (): void => {
      if (parts) parts.scroller.scrollTop = parts.scroller.scrollHeight
    }
    // As rows are measured (before the frame is painted), and each frame after Virtuoso's own work in it.
    const pin = new ResizeObserver(toBottom)
    if (parts) {
      // Its border box: Virtuoso sizes the rows it hasn't drawn as the list's padding, which the content box leaves out.
      pin.observe(parts.items, { box: 'border-box' })
      pin.observe(parts.scroller)
    }
    let left = settlingFrames
    let next = 0
    const tick = (): void => {
      toBottom()
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
