import type { ParleyApi, ParleyEvent } from '../../../shared'
import { streamingTextOf } from './message-parts'
import { RowBatch, writeCheckpoint, writeEvent, writeUnseenMark, type Watching } from './row-writes'
import { lastAppliedSeqKey, type ParleyDatabase } from './schema'
import type { StreamingStore } from './streaming-store'

/** What one committed transaction held (for tests and instrumentation). */
export interface Commit {
  /** The seq written to meta with the rows: everything through it is now in Dexie. */
  seq: number
  /** Non-delta events written in this transaction. */
  events: number
  /** Streaming messages whose text so far was checkpointed in this transaction. */
  checkpointed: number
}

export interface EventApplierOptions {
  api: Pick<ParleyApi, 'subscribe' | 'ack'>
  db: ParleyDatabase
  streaming: StreamingStore
  /** Hears every event once, in seq order, as it is applied (the in-memory stores of busy sessions and queues). */
  onEvent?: (event: ParleyEvent) => void
  /** Hears each commit once it is durable, before the ack goes to main. */
  onCommit?: (commit: Commit) => void
  /**
   * Whether the person is looking at a chat. With it, a finished answer marks its chat unseen (or seen) in the same
   * transaction; without it, no marks are written.
   */
  watching?: Watching
  /** Hears storage failures; the applier retries the failed commit on its own. */
  onError?: (error: unknown) => void
  /** How long deltas may wait in memory before their text is checkpointed (architecture.md: about once a second). */
  checkpointMs?: number
  /** How long after a failed commit it is tried again. */
  retryMs?: number
  /**
   * A test seam, not a feature: called inside each commit's transaction before anything is written. Whatever it
   * throws fails that commit exactly as a failed write would (the storage-fault e2e test throws a
   * QuotaExceededError through it; see main.tsx).
   */
  beforeCommit?: () => void
}

/** A message that is streaming: its text so far, and how much of it Dexie has. */
interface OpenMessage {
  sessionId: string
  text: string
  reasoning: string
  /** The last event folded into `text`. */
  seq: number
  /** The last event folded into the Dexie row; below `seq` while deltas wait for a checkpoint. */
  committedSeq: number
}

interface Waiter {
  seq: number
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * Applies main's events to Dexie, the system of record for history (architecture.md, "A prompt's path" step 5).
 *
 * - Events are committed in batched transactions that write the rows and meta's `lastAppliedSeq` together; main is
 *   acked only after the transaction commits.
 * - Deltas are held in memory (and shown through the streaming store). Any commit also checkpoints them, and a
 *   timer makes sure one happens about a second after a delta arrives, so Dexie never sees a write per token.
 * - So `lastAppliedSeq` is always the seq of the last commit, and everything after it is a delta still in memory:
 *   after a reload, `subscribe({ since: lastAppliedSeq })` replays exactly what Dexie is missing. Each row's `seq`
 *   watermark makes applying an event twice a no-op, whatever main replays.
 */
export class EventApplier {
  private readonly api: EventApplierOptions['api']
  private readonly db: ParleyDatabase
  private readonly streaming: StreamingStore
  private readonly options: EventApplierOptions
  private readonly checkpointMs: number
  private readonly retryMs: number

  private incoming: ParleyEvent[] = []
  /** The events of a commit that failed, written again (first) by the next one. */
  private unwritten: ParleyEvent[] = []
  private readonly open = new Map<string, OpenMessage>()
  /** The last event taken from `incoming`: in memory, maybe not yet in Dexie. */
  private seenSeq = 0
  /** The last event committed to Dexie together with its rows. */
  private durableSeq = 0
  private checkpointWanted = false
  private checkpointTimer: ReturnType<typeof setTimeout> | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private draining: Promise<void> | undefined
  private waiters: Waiter[] = []
  private disposers: (() => void)[] = []
  private stopped = false

  constructor(options: EventApplierOptions) {
    this.options = options
    this.api = options.api
    this.db = options.db
    this.streaming = options.streaming
    this.checkpointMs = options.checkpointMs ?? 1000
    this.retryMs = options.retryMs ?? 1000
  }

  /** Subscribes from the durable seq. */
  async start(): Promise<void> {
    this.durableSeq = await this.db.lastAppliedSeq()
    this.seenSeq = this.durableSeq
    if (this.stopped) return
    this.disposers.push(this.api.subscribe({ since: this.durableSeq }, (event) => this.receive(event)))
  }

  /**
   * Stops listening. Deltas still in memory are dropped, not written: they were never acked, so main replays them
   * to whoever subscribes next (this is also how tests simulate a reload).
   */
  stop(): void {
    this.stopped = true
    for (const dispose of this.disposers.splice(0)) dispose()
    clearTimeout(this.checkpointTimer)
    clearTimeout(this.retryTimer)
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('The history store was closed.'))
  }

  /** The seq through which everything is committed to Dexie. */
  get lastAppliedSeq(): number {
    return this.durableSeq
  }

  /** Resolves once every event received so far has been taken in (committed, or held as a delta). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining
  }

  /** Resolves once everything through `seq` is in Dexie, checkpointing held deltas at once rather than in ~1 s. */
  committedThrough(seq: number): Promise<void> {
    if (this.durableSeq >= seq) return Promise.resolve()
    if (this.stopped) return Promise.reject(new Error('The history store is closed.'))
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject })
      this.kick()
    })
  }

  private receive(event: ParleyEvent): void {
    if (this.stopped) return
    this.incoming.push(event)
    this.kick()
  }

  private kick(): void {
    if (this.draining || this.stopped || this.retryTimer) return
    this.draining = this.drain()
      .catch((error: unknown) => this.report(error))
      .finally(() => {
        this.draining = undefined
        if (this.incoming.length > 0 || this.needsCommitWithoutEvents()) this.kick()
      })
  }

  private async drain(): Promise<void> {
    for (;;) {
      // Events delivered together (a replay, a backlog after a busy moment) arrive before this resumes, and so
      // share one transaction.
      await Promise.resolve()
      if (this.stopped) return
      const writes = this.unwritten.splice(0)
      for (const event of this.incoming.splice(0)) {
        // Main replays from the seq we asked for, and may replay more after a reconnect: skip what we have.
        if (event.seq <= this.seenSeq) continue
        this.seenSeq = event.seq
        if (event.type === 'message.delta') {
          await this.hold(event)
        } else {
          // Written first: what the window shows of an event may fail, what it stores may not (F3).
          writes.push(event)
          this.takeInMemory(event)
        }
        this.shown(() => this.options.onEvent?.(event))
      }
      if (writes.length > 0 || this.needsCommitWithoutEvents()) {
        this.checkpointWanted = false
        if (!(await this.commit(writes))) return
      }
      if (this.incoming.length === 0) return
    }
  }

  /**
   * Runs what shows an event (the streaming bubbles, the window's stores). An event taken from `incoming` is past
   * `seenSeq`: if showing it threw out of the drain, it would never be written, the next commit would record a seq
   * past it and main would let it go with the ack, so a message would be lost for good. Reported instead.
   */
  private shown(show: () => void): void {
    try {
      show()
    } catch (error) {
      this.report(error)
    }
  }

  /** A checkpoint is due, or a history request waits for events that are only in memory. */
  private needsCommitWithoutEvents(): boolean {
    if (this.seenSeq <= this.durableSeq) return false
    return this.checkpointWanted || this.waiters.some((waiter) => waiter.seq <= this.seenSeq)
  }

  /** Keeps a delta in memory and shows it; Dexie gets it with the next commit or checkpoint. */
  private async hold(delta: Extract<ParleyEvent, { type: 'message.delta' }>): Promise<void> {
    let message = this.open.get(delta.messageId)
    if (!message) {
      // After a reload, the row holds the text through its last checkpoint: continue from there.
      let row
      try {
        row = await this.db.messages.get(delta.messageId)
      } catch (error) {
        // The final text arrives whole with message.finished, so a delta lost here is only lost until then.
        this.report(error)
        return
      }
      if (!row || row.status !== 'streaming') return
      message = { sessionId: row.sessionId, ...streamingTextOf(row), seq: row.seq, committedSeq: row.seq }
      this.open.set(delta.messageId, message)
      const opened = message
      this.shown(() => this.streaming.set(delta.messageId, { text: opened.text, reasoning: opened.reasoning }))
    }
    // The watermark: this delta is already part of the text (it was checkpointed before a reload).
    if (delta.seq <= message.seq) return
    message.text += delta.text ?? ''
    message.reasoning += delta.reasoning ?? ''
    message.seq = delta.seq
    this.scheduleCheckpoint()
    this.shown(() => this.streaming.append(delta.messageId, delta))
  }

  /** What an event changes outside Dexie: which messages are streaming, and what their bubbles show. */
  private takeInMemory(event: ParleyEvent): void {
    switch (event.type) {
      case 'message.created': {
        const { message } = event
        if (message.status !== 'streaming' || this.open.has(message.id)) return
        const text = streamingTextOf(message)
        this.open.set(message.id, { sessionId: message.sessionId, ...text, seq: event.seq, committedSeq: event.seq })
        this.shown(() => this.streaming.set(message.id, text))
        return
      }
      case 'message.finished':
        this.open.delete(event.message.id)
        this.shown(() => this.streaming.finish(event.message.id, streamingTextOf(event.message)))
        return
      case 'session.deleted':
        for (const [messageId, message] of this.open) {
          if (message.sessionId !== event.sessionId) continue
          this.open.delete(messageId)
          this.shown(() => this.streaming.delete(messageId))
        }
        return
      default:
        return
    }
  }

  /** Writes the events, checkpoints every streaming message, and records the seq: one transaction. */
  private async commit(writes: ParleyEvent[]): Promise<boolean> {
    const seq = this.seenSeq
    const behind = [...this.open].filter(([, message]) => message.seq > message.committedSeq)
    let checkpointed = 0
    try {
      const { db } = this
      await db.transaction('rw', [db.sessions, db.messages, db.meta], async () => {
        this.options.beforeCommit?.()
        const { watching } = this.options
        // One bulk read, the events applied in memory in order, one bulk write (row-writes.ts).
        const batch = await RowBatch.read(db, writes, behind.map(([messageId]) => messageId))
        for (const event of writes) {
          writeEvent(batch, event)
          if (watching) writeUnseenMark(batch, event, watching)
        }
        for (const [messageId, message] of behind) {
          const written = writeCheckpoint(batch, { messageId, text: message.text, reasoning: message.reasoning, seq: message.seq })
          if (written) checkpointed += 1
        }
        await Promise.all([batch.save(db), db.meta.put({ key: lastAppliedSeqKey, value: seq })])
      })
    } catch (error) {
      this.unwritten = writes
      this.report(error)
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined
        this.checkpointWanted = true
        this.kick()
      }, this.retryMs)
      return false
    }
    // Nothing else ran meanwhile (drain is serial), so what was behind is exactly what was written.
    for (const [, message] of behind) message.committedSeq = message.seq
    this.durableSeq = seq
    clearTimeout(this.checkpointTimer)
    this.checkpointTimer = undefined
    this.options.onCommit?.({ seq, events: writes.length, checkpointed })
    this.resolveWaiters()
    // Acks are cumulative: if this one is lost (the bridge is reconnecting), main keeps the events and the next
    // ack covers them.
    this.api.ack(seq).catch(() => undefined)
    return true
  }

  private scheduleCheckpoint(): void {
    if (this.checkpointTimer) return
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = undefined
      this.checkpointWanted = true
      this.kick()
    }, this.checkpointMs)
  }

  private resolveWaiters(): void {
    const ready = this.waiters.filter((waiter) => waiter.seq <= this.durableSeq)
    this.waiters = this.waiters.filter((waiter) => waiter.seq > this.durableSeq)
    for (const waiter of ready) waiter.resolve()
  }

  private report(error: unknown): void {
    if (this.options.onError) this.options.onError(error)
    else console.error('[parley] the history store failed:', error)
  }
}
