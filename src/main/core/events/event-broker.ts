import { mergeDeltas, type EventBody, type ParleyEvent } from '../../../shared'

/** A listener may return a promise: until it settles, that subscriber is "slow" and its events wait for it. */
export type EventListener = (event: ParleyEvent) => void | Promise<void>

export interface SubscribeOptions {
  /** Deliver every retained event with a seq above this, then the live ones. */
  since: number
  /**
   * Called once, before anything else, when events after `since` are no longer retained. The subscriber must
   * recover them elsewhere (the outbox); the broker then delivers what it still has.
   */
  onGap?: (firstRetainedSeq: number) => void
}

export interface EventBrokerOptions {
  /** How many events are kept for `subscribe({ since })` replays. */
  retain?: number
  now?: () => number
  /** Where a throwing listener is reported; it never reaches the publisher. */
  onListenerError?: (error: unknown, event: ParleyEvent) => void
}

/**
 * One subscriber's backlog. Events wait here while the listener is busy with an earlier one. A delta that arrives
 * behind another delta of the same message is merged into it, so a slow subscriber receives fewer, larger deltas;
 * no other event is ever merged or dropped (rule F2).
 */
class Subscription {
  private backlog: ParleyEvent[] = []
  private head = 0
  private waiting = false
  closed = false

  constructor(
    private readonly listener: EventListener,
    private readonly reportError: (error: unknown, event: ParleyEvent) => void,
    private readonly wake: () => void
  ) {}

  push(event: ParleyEvent): void {
    if (this.closed) return
    const tail = this.backlog.length > this.head ? this.backlog[this.backlog.length - 1] : undefined
    if (tail && event.type === 'message.delta' && tail.type === 'message.delta' && tail.messageId === event.messageId) {
      this.backlog[this.backlog.length - 1] = mergeDeltas(tail, event)
      return
    }
    this.backlog.push(event)
  }

  /** Delivers one event if it can. Returns whether it did. */
  deliverOne(): boolean {
    if (this.closed || this.waiting || this.head >= this.backlog.length) return false
    const event = this.backlog[this.head] as ParleyEvent
    this.head += 1
    if (this.head === this.backlog.length) {
      this.backlog = []
      this.head = 0
    } else if (this.head > 1024 && this.head * 2 > this.backlog.length) {
      this.backlog = this.backlog.slice(this.head)
      this.head = 0
    }
    let result: void | Promise<void>
    try {
      result = this.listener(event)
    } catch (error) {
      this.reportError(error, event)
      return true
    }
    if (result && typeof result.then === 'function') {
      this.waiting = true
      result.then(
        () => this.resume(),
        (error: unknown) => {
          this.reportError(error, event)
          this.resume()
        }
      )
    }
    return true
  }

  get pending(): number {
    return this.backlog.length - this.head
  }

  private resume(): void {
    this.waiting = false
    this.wake()
  }
}

/**
 * Stamps every event with a strictly increasing seq, keeps the last `retain` of them for replays, and hands them to
 * subscribers without ever waiting for one (rules F1, F2). Delivery is re-entrancy safe: an event published from
 * inside a listener is queued behind the one being delivered, so every subscriber sees seq order.
 */
export class EventBroker {
  private seq = 0
  private readonly ring: (ParleyEvent | undefined)[]
  private ringStart = 0
  private ringSize = 0
  /** The seq of the newest event the ring has let go to make room (0: none): replays after it are whole. */
  private dropped = 0
  private readonly subscriptions = new Set<Subscription>()
  private flushing = false
  private readonly now: () => number
  private readonly reportError: (error: unknown, event: ParleyEvent) => void

  constructor(options: EventBrokerOptions = {}) {
    this.ring = new Array<ParleyEvent | undefined>(Math.max(1, options.retain ?? 10_000))
    this.now = options.now ?? Date.now
    this.reportError =
      options.onListenerError ??
      ((error, event) => console.error(`[parley] an event listener failed on ${event.type} #${event.seq}:`, error))
  }

  /** The seq of the last published event (0 before any). */
  get lastSeq(): number {
    return this.seq
  }

  /** Every event after this seq is still retained for replays (history-snapshots: a window behind it rebuilds). */
  get droppedThrough(): number {
    return this.dropped
  }

  /** Starts counting after `seq`, so a restarted main never reuses a seq the renderer has already seen. */
  resumeAfter(seq: number): void {
    if (seq > this.seq) this.seq = seq
  }

  /**
   * Puts back events that an earlier main published and the renderer never acknowledged (the journal's outbox), with
   * their own seqs, so a renderer that subscribes again gets them (rule F3).
   */
  restore(events: ParleyEvent[]): void {
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= this.seq) continue
      this.seq = event.seq
      this.retain(event)
    }
  }

  publish(body: EventBody): ParleyEvent {
    this.seq += 1
    const event = { ...body, seq: this.seq, at: this.now() } as ParleyEvent
    this.retain(event)
    for (const subscription of this.subscriptions) subscription.push(event)
    this.flush()
    return event
  }

  subscribe(options: SubscribeOptions, listener: EventListener): () => void {
    const subscription = new Subscription(listener, this.reportError, () => this.flush())
    const first = this.firstRetainedSeq()
    if (options.since + 1 < first && options.since < this.seq) options.onGap?.(first)
    for (const event of this.retainedAfter(options.since)) subscription.push(event)
    this.subscriptions.add(subscription)
    this.flush()
    return () => {
      subscription.closed = true
      this.subscriptions.delete(subscription)
    }
  }

  /** Retained events with a seq above `since`, oldest first. */
  retainedAfter(since: number): ParleyEvent[] {
    const out: ParleyEvent[] = []
    for (let i = 0; i < this.ringSize; i++) {
      const event = this.ring[(this.ringStart + i) % this.ring.length]
      if (event && event.seq > since) out.push(event)
    }
    return out
  }

  /** Events waiting for slow subscribers, in total (for tests and diagnostics). */
  get backlog(): number {
    let total = 0
    for (const subscription of this.subscriptions) total += subscription.pending
    return total
  }

  private firstRetainedSeq(): number {
    return this.ringSize === 0 ? this.seq + 1 : (this.ring[this.ringStart] as ParleyEvent).seq
  }

  private retain(event: ParleyEvent): void {
    const capacity = this.ring.length
    if (this.ringSize < capacity) {
      this.ring[(this.ringStart + this.ringSize) % capacity] = event
      this.ringSize += 1
    } else {
      this.dropped = Math.max(this.dropped, this.ring[this.ringStart]?.seq ?? 0)
      this.ring[this.ringStart] = event
      this.ringStart = (this.ringStart + 1) % capacity
    }
  }

  private flush(): void {
    if (this.flushing) return
    this.flushing = true
    try {
      let delivered = true
      while (delivered) {
        delivered = false
        for (const subscription of this.subscriptions) if (subscription.deliverOne()) delivered = true
      }
    } finally {
      this.flushing = false
    }
  }
}
