import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { itemListSelector, measuredByList } from './virtuoso-parts'
import { afterOwnJump, afterReaderMove, afterScroll, atBottomSeen, followingFrom, keyDirection, seeksPast, type Following } from './follow-bottom'

/**
 * A fast scroll (a fling, the scrollbar dragged, End or Home) passes over messages in placeholders of their size and
 * draws them once it slows: drawing a dozen answers' markdown in every frame held each frame up for 100 ms or more.
 * Velocity is pixels per 100 ms: reading with a wheel stays under 300; entering takes 8,000 px a second. A list that
 * follows the bottom never enters (`seeksPast`): each list's own `enter` reads its following state.
 */
export const scrollSeek = {
  enter: (velocity: number): boolean => seeksPast(velocity, { following: false, lastTop: 0 }),
  exit: (velocity: number): boolean => Math.abs(velocity) < 100
}

/**
 * Keeps the list at the bottom while an answer grows in place, as new messages come, and as the view gets shorter
 * (the composer grows). The list's own at-bottom state turns false as soon as the content grows, so "following" is
 * decided here from the reader's scrolling alone (chat/follow-bottom.ts): it stops when they scroll up and resumes when
 * they come back down. Virtuoso's own following (`followOutput`) is not used: it scrolled to the last row and then
 * kept scrolling there again after each change of size within 150 ms, so while an answer streamed it never stopped,
 * and a reader who turned the wheel up was carried straight back down (the streaming e2e, 2 runs in 6).
 */
export function useFollowBottom(opening: 'end' | 'message'): {
  scrollerRef: (element: HTMLElement | Window | null) => void
  grown: () => void
  seek: typeof scrollSeek
  following: boolean
  toBottom: () => void
  atBottomChanged: (atBottom: boolean) => void
  /**
   * Makes the pin's ResizeObserver anew, to be told of sizes after one Virtuoso has just made; `measuresAtOnce`: Virtuoso
   * measures rows in its own observer's callback (`skipAnimationFrameInResizeObserver`), not a frame later.
   */
  watchSizes: (measuresAtOnce?: boolean) => void
} {
  const scroller = useRef<HTMLElement | null>(null)
  const state = useRef<Following>(followingFrom(opening))
  // The same, for drawing: changes only when following starts or stops, not on every scroll event.
  const [following, setFollowing] = useState(state.current.following)
  // React hears only of a change: told the same each frame (the pin runs in every frame the rows grow), it re-rendered
  // the chat's list now and then to find nothing changed, and a fast answer reached the screen ~10% slower.
  const become = useCallback((next: Following) => {
    const was = state.current.following
    state.current = next
    if (next.following !== was) setFollowing(next.following)
  }, [])
  const grown = useCallback(() => {
    const element = scroller.current
    if (!element) return
    // A scrollTop lower than the list's own last jump, its scroll event not heard yet, is not read as a move up here:
    // the browser lowers it itself when the list is drawn shorter for a moment (Virtuoso, hearing of a place past the
    // rows it has measured, drew none: the answer streaming in a burst stopped being followed, 1 run in 60 under load).
    // The reader's moves are heard first (the wheel, keys, the scrollbar, and scroll events come before this callback
    // in a frame); only a script scrolling in an animation callback is pulled back, until its scroll event is heard.
    if (!state.current.following) return
    const before = element.scrollTop
    element.scrollTop = element.scrollHeight
    state.current = afterOwnJump(state.current, element.scrollTop)
    // Virtuoso hears of the move at once and draws the rows there before this frame is painted (the browser's scroll
    // event comes with the next frame: until then the view showed the list's padding, blank).
    if (element.scrollTop !== before) element.dispatchEvent(new Event('scroll'))
  }, [become])
  // The view got shorter (the composer grew), or the rows grew (Virtuoso's item list, its border box: the rows it
  // hasn't drawn are its padding): still at the bottom, before the frame is painted. Virtuoso's own word
  // (`totalListHeightChanged`) comes a frame after it measures: a chat whose rows grew from its top while it was being
  // copied in was pinned to a bottom its guessed heights made, and shown for a frame a row's height above it.
  // Made as the scroller mounts and again when the list says Virtuoso made its own anew (`watchSizes`): an observer made
  // earlier is told of a size first. Virtuoso also makes its own anew a render after the list's effects ran, so the pin
  // may still be told first: while Virtuoso measures in its observer's callback (`measuresAtOnce`), the pin checks that
  // it has measured the rows it drew (`measuredByList`) and otherwise leaves the list to Virtuoso's word in the same
  // frame (`totalListHeightChanged`, `grown`). Scrolled first, past the rows Virtuoso reckoned, the list was drawn
  // without them and with them in turn for every delta of a long fast answer (its row formatted anew ~20 times, the view
  // blank between). While Virtuoso measures a frame later, the pin goes first.
  const resized = useRef<ResizeObserver | undefined>(undefined)
  const atOnce = useRef(false)
  const watchSizes = useCallback(
    (measuresAtOnce = atOnce.current) => {
      atOnce.current = measuresAtOnce
      resized.current?.disconnect()
      const now = scroller.current
      const items = now?.querySelector<HTMLElement>(itemListSelector) ?? null
      const pin = (): void => {
        // Not following, nothing to pin (and nothing read: reading sizes lays the page out).
        if (!state.current.following) return
        if (items === null || !measuresAtOnce || measuredByList(items)) grown()
      }
      resized.current = now && typeof ResizeObserver !== 'undefined' ? new ResizeObserver(pin) : undefined
      if (now) resized.current?.observe(now)
      if (items) resized.current?.observe(items, { box: 'border-box' })
    },
    [grown]
  )
  const onScroll = useCallback(() => {
    const element = scroller.current
    if (element) become(afterScroll(state.current, element))
  }, [become])
  // The reader's own moves: the wheel, a key, the pointer on the scrollbar (follow-bottom.ts, `afterReaderMove`).
  const moved = useCallback(
    (direction: number) => {
      const element = scroller.current
      if (element && direction !== 0) become(afterReaderMove(state.current, direction, element.scrollTop))
    },
    [become]
  )
  // A wheel held while the list opens (useListShown, its default prevented) moves nothing, and leaves nothing.
  const onWheel = useCallback(
    (event: WheelEvent) => {
      if (!event.defaultPrevented) moved(event.deltaY)
    },
    [moved]
  )
  const onKey = useCallback(
    (event: KeyboardEvent) => {
      const field = event.target instanceof HTMLElement && (event.target.isContentEditable || event.target.closest('input, textarea') !== null)
      if (!event.defaultPrevented && !event.ctrlKey && !event.metaKey && !event.altKey) moved(keyDirection(event.key, event.shiftKey, field))
    },
    [moved]
  )
  // Pressed on the scroller itself, not on a message: its scrollbar.
  const onPointer = useCallback(
    (event: PointerEvent) => {
      if (event.target === scroller.current) moved(1)
    },
    [moved]
  )
  const scrollerRef = useCallback(
    (element: HTMLElement | Window | null) => {
      const before = scroller.current
      before?.removeEventListener('scroll', onScroll)
      before?.removeEventListener('wheel', onWheel)
      before?.removeEventListener('keydown', onKey)
      before?.removeEventListener('pointerdown', onPointer)
      const now = element instanceof HTMLElement ? element : null
      scroller.current = now
      watchSizes()
      now?.addEventListener('scroll', onScroll, { passive: true })
      now?.addEventListener('wheel', onWheel, { passive: true })
      now?.addEventListener('keydown', onKey, { passive: true })
      now?.addEventListener('pointerdown', onPointer, { passive: true })
    },
    [onScroll, onWheel, onKey, onPointer, watchSizes]
  )

  // The reader asked for the bottom: follow it again (the rows drawn on the way grow it; `grown` keeps up).
  const toBottom = useCallback(() => {
    // From where the list is now: a move up not heard yet is the reader's past, not a move away from the bottom.
    become({ following: true, lastTop: scroller.current?.scrollTop ?? state.current.lastTop })
    grown()
  }, [become, grown])
  const atBottomChanged = useCallback(
    (atBottom: boolean) => {
      const element = scroller.current
      if (atBottom && element) become(atBottomSeen(state.current, element))
    },
    [become]
  )
  const seek = useMemo(() => ({ enter: (velocity: number) => seeksPast(velocity, state.current), exit: scrollSeek.exit }), [])
  return { scrollerRef, grown, seek, following, toBottom, atBottomChanged, watchSizes }
}

/**
 * A prompt this window just sent to an idle chat (`sentNow`, by its runId) brings the list down to it wherever the
 * reader was (`toBottom`), once, as it or its answer first comes in at the end (a quick answer comes in the same
 * render as its prompt). A queued prompt starting later, or another window's, is followed only if the list follows.
 * `last` is the list's last message while it shows the live end.
 */
export function useNewPromptFollowed(
  last: { id: string; runId: string } | undefined,
  sentNow: (runId: string) => boolean,
  toBottom: () => void
): void {
  const seen = useRef(last?.id)
  const broughtDown = useRef(last?.runId)
  useEffect(() => {
    if (!last || last.id === seen.current) return
    seen.current = last.id
    if (last.runId === broughtDown.current || !sentNow(last.runId)) return
    broughtDown.current = last.runId
    toBottom()
  }, [last, sentNow, toBottom])
}
