import { useCallback, useEffect, useRef, useState } from 'react'
import { drawsOpeningPlace, type OpeningPlace, type SeenRange } from './message-window'
import type { Edge } from './page-reads'
import { itemListSelector } from './virtuoso-parts'

/**
 * Frames after the list first draws its opening place before it counts as opened. Virtuoso scrolls there again four
 * frames after it has first measured its rows; counted from the list's mount instead, 8 frames were too few on a
 * loaded machine (a link to m700 showed m498: two pages read above before that scroll).
 */
export const openingFrames = 12

/**
 * Frames the list must also have been placed (`virtuosoPlaced`) before it counts as opened: a scroll to the opening
 * place Virtuoso scheduled before it was placed comes at most four frames later.
 */
export const placedFrames = 6

/**
 * After these frames and this time the list counts as opened whatever it says (were Virtuoso to stop hiding its items
 * so): a page read late is better than none.
 */
export const mostOpening = { frames: 120, ms: 2000 }

/**
 * Whether a list has opened, `sinceDrawn` frames and `elapsedMs` after it first drew its opening place, having been
 * placed for the last `placedFor` of those frames.
 */
export function openingDone(sinceDrawn: number, placedFor: number, elapsedMs: number): boolean {
  if (sinceDrawn >= openingFrames && placedFor >= placedFrames) return true
  return sinceDrawn >= mostOpening.frames && elapsedMs >= mostOpening.ms
}

/**
 * Whether Virtuoso has put the list where it opens (its `initialTopMostItemIndex`): until then it keeps its items
 * hidden, and each change of its rows (a page read above) makes it scroll to that index again, which is now another
 * row. A chat opened at an answer (m999) was carried up a page at a time to its first messages so: Virtuoso's scroll
 * there changed nothing, so no scroll event told it it had arrived. Read from its DOM (the item list's `visibility`),
 * as it has no callback for it; a list that isn't Virtuoso's own (a test's) counts as placed.
 */
export function virtuosoPlaced(root: Element | null): boolean {
  const items = root?.querySelector<HTMLElement>(itemListSelector)
  return !items || items.style.visibility !== 'hidden'
}

/**
 * Whether a list has opened: it has drawn the place it opened at and its frames have passed (`drawsOpeningPlace` says
 * why no page may be read before). The page reads asked for until then are held, and given out once.
 */
export class OpeningGate {
  private framesPassed = false
  private drawn = false
  private readonly held = new Set<Edge>()

  constructor(
    readonly key: string,
    private readonly place: OpeningPlace
  ) {}

  get opened(): boolean {
    return this.framesPassed && this.drawn
  }

  hold(edge: Edge): void {
    this.held.add(edge)
  }

  /** The list drew this range (of `count` rows); true when it is the first to hold the opening place. */
  seen(range: SeenRange, count: number): boolean {
    if (this.drawn || !drawsOpeningPlace(this.place, range, count)) return false
    this.drawn = true
    return true
  }

  framesDone(): void {
    this.framesPassed = true
  }

  /** The edges held, older first, once the list has opened (each given once); none before. */
  takeHeld(): Edge[] {
    if (!this.opened) return []
    const edges = (['older', 'newer'] as const).filter((edge) => this.held.has(edge))
    this.held.clear()
    return edges
  }
}

/**
 * The gate of the list opened at `opening` (a new key, a new opening); `seen` passes it each drawn range, and
 * `framesPassed` turns true once the frames after the place was first drawn have passed (`openingDone`), `placed`
 * asked each frame.
 */
export function useOpeningGate(
  opening: { key: string; place: OpeningPlace },
  placed: () => boolean
): {
  gate: OpeningGate
  seen: (range: SeenRange, count: number) => void
  framesPassed: boolean
} {
  const ref = useRef<OpeningGate | undefined>(undefined)
  if (ref.current?.key !== opening.key) ref.current = new OpeningGate(opening.key, opening.place)
  const gate = ref.current
  const [drawnFor, setDrawnFor] = useState<string | undefined>(undefined)
  const [passedFor, setPassedFor] = useState<string | undefined>(undefined)
  const seen = useCallback(
    (range: SeenRange, count: number) => {
      if (gate.seen(range, count)) setDrawnFor(gate.key)
    },
    [gate]
  )
  const drawn = drawnFor === gate.key
  const isPlaced = useRef(placed)
  isPlaced.current = placed
  useEffect(() => {
    if (!drawn) return
    let frame = 0
    let sinceDrawn = 0
    let placedFor = 0
    const drawnAt = performance.now()
    const tick = (): void => {
      sinceDrawn += 1
      placedFor = isPlaced.current() ? placedFor + 1 : 0
      if (!openingDone(sinceDrawn, placedFor, performance.now() - drawnAt)) {
        frame = requestAnimationFrame(tick)
        return
      }
      gate.framesDone()
      setPassedFor(gate.key)
    }
    frame = requestAnimationFrame(tick)
    return () => cancelAnimationFrame(frame)
  }, [gate, drawn])
  return { gate, seen, framesPassed: passedFor === gate.key }
}
