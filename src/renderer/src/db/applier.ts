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
  /** Events taken in and shown, for the next commit to write (a failed commit's first, again). */
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
  /** Set while events are being taken in and one had to wait for a read (a delta of a message not open here). */
  private taking: Promise<void> | undefined
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
    for (let busy = this.taking ?? this.draining; busy; busy = this.taking ?? this.draining) await busy
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
    this.takeIncoming()
    this.kick()
  }

  /**
   * Takes in what arrived, in seq order, as it arrives: deltas into memory, other events into the stores the window
   * shows and onto `unwritten`. Nothing here waits for a commit, so an answer's text is on screen while the last
   * batch is still being written (an IndexedDB transaction under load took 50–90 ms, and a delta waited for it).
   */
  private takeIncoming(): void {
    if (this.taking || this.stopped) return
    const taking = this.take()
    if (!taking) return
    this.taking = taking
      .catch((error: unknown) => this.report(error))
      .finally(() => {
        this.taking = undefined
        this.takeIncoming()
        this.kick()
      })
  }

  /** Takes in `incoming` synchronously; a promise only when a delta first has to read its message's row. */
  private take(): Promise<void> | undefined {
    for (let event = this.incoming.shift(); event; event = this.incoming.shift()) {
      // Main replays from the seq we asked for, and may replay more after a reconnect: skip what we have.
      if (event.seq <= this.seenSeq) continue
      this.seenSeq = event.seq
      const taken = event
      if (taken.type === 'message.delta' && !this.open.has(taken.messageId)) {
        return this.reopen(taken).then(() => {
          this.shown(() => this.options.onEvent?.(taken))
          return this.take()
        })
      }
      if (taken.type === 'message.delta') {
        this.hold(taken)
      } else {
        // Written first: what the window shows of an event may fail, what it stores may not (F3).
        this.unwritten.push(taken)
        this.takeInMemory(taken)
      }
      this.shown(() => this.options.onEvent?.(taken))
    }
    return undefined
  }

  private kick(): void {
    if (this.draining || this.stopped || this.retryTimer) return
    if (this.unwritten.length === 0 && !this.needsCommitWithoutEvents()) return
    this.draining = this.drain()
      .catch((error: unknown) => this.report(error))
      .finally(() => {
        this.draining = undefined
        this.kick()
      })
  }

  /** Commits what was taken in, one transaction at a time, until nothing waits. */
  private async drain(): Promise<void> {
    for (;;) {
      // Events delivered together (a replay, a backlog after a busy moment) are taken in before this resumes, and so
      // share one transaction; a commit never starts while a delta waits for its message's row.
      await Promise.resolve()
      while (this.taking) await this.taking
      if (this.stopped) return
      if (this.unwritten.length === 0 && !this.needsCommitWithoutEvents()) return
      this.checkpointWanted = false
      if (!(await this.commit())) return
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

  /**
   * A delta of a message not open here: after a reload, the row holds the text through its last checkpoint, and the
   * message continues from there. The delta is then held (or dropped, if the row says the message is not streaming).
   */
  private async reopen(delta: Extract<ParleyEvent, { type: 'message.delta' }>): Promise<void> {
    let row
    try {
      row = await this.db.messages.get(delta.messageId)
    } catch (error) {
      // The final text arrives whole with message.finished, so a delta lost here is only lost until then.
      this.report(error)
      return
    }
    if (this.stopped || !row || row.status !== 'streaming' || this.open.has(delta.messageId)) return
    const message: OpenMessage = { sessionId: row.sessionId, ...streamingTextOf(row), seq: row.seq, committedSeq: row.seq }
    this.open.set(delta.messageId, message)
    this.shown(() => this.streaming.set(delta.messageId, { text: message.text, reasoning: message.reasoning }))
    this.hold(delta)
  }

  /** Keeps a delta of an open message in memory and shows it; Dexie gets it with the next commit or checkpoint. */
  private hold(delta: Extract<ParleyEvent, { type: 'message.delta' }>): void {
    const message = this.open.get(delta.messageId)
    // The watermark: this delta is already part of the text (it was checkpointed before a reload).
    if (!message || delta.seq <= message.seq) return
    // A merged delta may start inside what the row already held: another window checkpointed part of it.
    const text = unheld(message.text, delta.text, delta.textOffset)
    const reasoning = unheld(message.reasoning, delta.reasoning, delta.reasoningOffset)
    message.text += text
    message.reasoning += reasoning
    message.seq = delta.seq
    this.scheduleCheckpoint()
    this.shown(() => this.streaming.append(delta.messageId, { text, reasoning }))
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

  /**
   * Writes the events taken in, checkpoints every streaming message, and records the seq: one transaction. What it
   * writes is fixed as it starts: events taken in meanwhile (and deltas folded into a message's text) wait for the
   * next one.
   */
  private async commit(): Promise<boolean> {
    const writes = this.unwritten.splice(0)
    const seq = this.seenSeq
    const behind = [...this.open]
      .filter(([, message]) => message.seq > message.committedSeq)
      .map(([messageId, message]) => ({ messageId, message, text: message.text, reasoning: message.reasoning, seq: message.seq }))
    let checkpointed = 0
    try {
      const { db } = this
      await db.transaction('rw', [db.sessions, db.messages, db.meta], async () => {
        this.options.beforeCommit?.()
        const { watching } = this.options
        // One bulk read, the events applied in memory in order, one bulk write (row-writes.ts).
        const batch = await RowBatch.read(db, writes, behind.map(({ messageId }) => messageId))
        for (const event of writes) {
          writeEvent(batch, event)
          if (watching) writeUnseenMark(batch, event, watching)
        }
        for (const { messageId, text, reasoning, seq: through } of behind) {
          if (writeCheckpoint(batch, { messageId, text, reasoning, seq: through })) checkpointed += 1
        }
        // Never lower: another window on this database (a second tab) may have committed, and acked, further already;
        // a lower mark would make the next start here replay, or rebuild, what the rows already hold.
        const stored = await db.lastAppliedSeq()
        await Promise.all([batch.save(db), db.meta.put({ key: lastAppliedSeqKey, value: Math.max(stored, seq) })])
      })
    } catch (error) {
      this.unwritten = [...writes, ...this.unwritten]
      this.report(error)
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined
        this.checkpointWanted = true
        this.kick()
      }, this.retryMs)
      return false
    }
    for (const { message, seq: through } of behind) message.committedSeq = Math.max(message.committedSeq, through)
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

/**
 * The part of a delta's piece that `held` does not have yet. The delta says where in the message its piece starts
 * (`offset`): a window that took the message up from a row another window had checkpointed further than this one's
 * seq (two tabs on one IndexedDB) holds the start of it already, and a merged delta (a slow subscriber's, a replay)
 * can span that checkpoint. Without an offset (an event from before offsets) the piece is taken whole.
 */
export function unheld(held: string, piece: string | undefined, offset: number | undefined): string {
  if (!piece) return ''
  if (offset === undefined) return piece
  const overlap = held.length - offset
  return overlap > 0 ? piece.slice(overlap) : piece
}
