import { useCallback, useEffect, useRef, useState } from 'react'
import { drawsOpeningPlace, type OpeningPlace, type SeenRange } from './message-window'
import type { Edge } from './page-reads'

/**
 * Frames after the list first draws its opening place before it counts as opened. Virtuoso scrolls there again four
 * frames after it has first measured its rows; counted from the list's mount instead, 8 frames were too few on a
 * loaded machine (a link to m700 showed m498: two pages read above before that scroll).
 */
export const openingFrames = 12

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
 * `framesPassed` turns true once the frames after the place was first drawn have passed.
 */
export function useOpeningGate(opening: { key: string; place: OpeningPlace }): {
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
  useEffect(() => {
    if (!drawn) return
    let frame = 0
    let left = openingFrames
    const tick = (): void => {
      left -= 1
      if (left > 0) {
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
