import { useEffect, useRef, useState } from 'react'
import { drawsOpeningPlace, type OpeningPlace, type SeenRange } from './message-window'
import type { Edge } from './page-reads'

/** Frames after the list mounts before it counts as opened: Virtuoso scrolls to its opening place again after four. */
export const openingFrames = 8

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

  /** The list drew this range (of `count` rows). */
  seen(range: SeenRange, count: number): void {
    if (drawsOpeningPlace(this.place, range, count)) this.drawn = true
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

/** The gate of the list opened at `opening` (a new key, a new opening), and whether its frames have passed yet. */
export function useOpeningGate(opening: { key: string; place: OpeningPlace }): { gate: OpeningGate; framesPassed: boolean } {
  const ref = useRef<OpeningGate | undefined>(undefined)
  if (ref.current?.key !== opening.key) ref.current = new OpeningGate(opening.key, opening.place)
  const gate = ref.current
  const [passedFor, setPassedFor] = useState<string | undefined>(undefined)
  useEffect(() => {
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
  }, [gate])
  return { gate, framesPassed: passedFor === gate.key }
}
