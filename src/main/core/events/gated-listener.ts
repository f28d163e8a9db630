import type { ParleyEvent } from '../../../shared'
import type { EventListener } from './event-broker'

/** Undefined when the event may go out at once, or a promise that settles when it may (the journal's `gate`). */
export type EventGate = (seq: number) => Promise<void> | undefined

/**
 * A listener that hears each event only once `gate` lets it through, in seq order: while one waits, the broker keeps
 * the ones behind it in this subscriber's backlog (a listener that returns a promise is a slow subscriber). An event
 * whose gate is already open is delivered at once, with no promise.
 */
export function gatedListener(gate: EventGate, listener: EventListener): EventListener {
  return (event: ParleyEvent) => {
    const wait = gate(event.seq)
    return wait ? wait.then(() => listener(event)) : listener(event)
  }
}
