import { useCallback, useMemo, useRef, useState } from 'react'
import { afterOwnJump, afterScroll, afterWheel, atBottomSeen, followingFrom, seeksPast, type Following } from './follow-bottom'

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
 * Keeps the list at the bottom while an answer grows in place. followOutput only reacts to new items, and the
 * list's own at-bottom state turns false as soon as the content grows, so "following" is decided here from the
 * reader's scrolling alone (chat/follow-bottom.ts): it stops when they scroll up and resumes when they come back down.
 */
export function useFollowBottom(opening: 'end' | 'message'): {
  scrollerRef: (element: HTMLElement | Window | null) => void
  grown: () => void
  seek: typeof scrollSeek
  following: boolean
  toBottom: () => void
  atBottomChanged: (atBottom: boolean) => void
} {
  const scroller = useRef<HTMLElement | null>(null)
  const state = useRef<Following>(followingFrom(opening))
  // The same, for drawing: changes only when following starts or stops, not on every scroll event.
  const [following, setFollowing] = useState(state.current.following)
  const become = useCallback((next: Following) => {
    state.current = next
    setFollowing(next.following)
  }, [])
  const onScroll = useCallback(() => {
    const element = scroller.current
    if (element) become(afterScroll(state.current, element))
  }, [become])
  // A wheel held while the list opens (useListShown, its default prevented) moves nothing, and leaves nothing.
  const onWheel = useCallback(
    (event: WheelEvent) => {
      const element = scroller.current
      if (element && !event.defaultPrevented) become(afterWheel(state.current, event.deltaY, element.scrollTop))
    },
    [become]
  )
  const scrollerRef = useCallback(
    (element: HTMLElement | Window | null) => {
      scroller.current?.removeEventListener('scroll', onScroll)
      scroller.current?.removeEventListener('wheel', onWheel)
      scroller.current = element instanceof HTMLElement ? element : null
      scroller.current?.addEventListener('scroll', onScroll, { passive: true })
      scroller.current?.addEventListener('wheel', onWheel, { passive: true })
    },
    [onScroll, onWheel]
  )
  const grown = useCallback(() => {
    const element = scroller.current
    if (!element || !state.current.following) return
    element.scrollTop = element.scrollHeight
    state.current = afterOwnJump(state.current, element.scrollTop)
  }, [])
  // The reader asked for the bottom: follow it again (the rows drawn on the way grow it; `grown` keeps up).
  const toBottom = useCallback(() => {
    become({ following: true, lastTop: state.current.lastTop })
    grown()
  }, [become, grown])
  const atBottomChanged = useCallback(
    (atBottom: boolean) => {
      const element = scroller.current
      if (atBottom && element) become(atBottomSeen(state.current, element.scrollTop))
    },
    [become]
  )
  const seek = useMemo(() => ({ enter: (velocity: number) => seeksPast(velocity, state.current), exit: scrollSeek.exit }), [])
  return { scrollerRef, grown, seek, following, toBottom, atBottomChanged }
}
