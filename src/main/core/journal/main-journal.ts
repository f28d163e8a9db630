import { copyFileSync } from 'node:fs'
import { basename } from 'node:path'
import { z } from 'zod'
import {
  eventSchema,
  foldMessageEvents,
  historyEventTypes,
  attachmentRefSchema,
  idSchema,
  isMessageEvent,
  messageText,
  partsOf,
  runCompleteSchema,
  textsOf,
  type Message,
  type DataRecovery,
  type ParleyEvent,
  type RunComplete
} from '../../../shared'
import type { JournaledRun, RunJournal } from '../agent/ports'
import type { EventBroker } from '../events/event-broker'
import { JournalFile, type JournalDisk } from './journal-file'

const journaledRunSchema = z.object({
  runId: idSchema,
  sessionId: idSchema,
  prompt: z.string(),
  enqueuedAt: z.number(),
  userMessage: z.object({ id: z.string(), seq: z.number().int().nonnegative() }).optional(),
  retryOf: idSchema.optional(),
  editOf: idSchema.optional(),
  attachments: z.array(attachmentRefSchema).optional()
})

const recordSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('accepted'), run: journaledRunSchema }),
  z.object({ t: z.literal('started'), runId: idSchema }),
  /** The run is over; `complete` is its outcome, durable with its end (G3, G4). Old journals have none. */
  z.object({ t: z.literal('ended'), runId: idSchema, complete: runCompleteSchema.optional() }),
  /** The run's RunComplete went out with this seq: after a restart it is replayed with it, never published anew. */
  z.object({ t: z.literal('published'), runId: idSchema, seq: z.number().int().nonnegative() }),
  z.object({ t: z.literal('event'), event: eventSchema }),
  z.object({ t: z.literal('ack'), seq: z.number().int().nonnegative() }),
  /**
   * The outbox let unacknowledged events go through this seq (it keeps `keptOutbox` when no window acknowledges): a
   * window behind it can't be replayed to and rebuilds. Kept across restarts and compactions (historyState).
   */
  z.object({ t: z.literal('trimmed'), seq: z.number().int().nonnegative() }),
  /** Seqs through this one are reserved (`seqReserve` ahead of the last one heard): a restart starts after it (F1). */
  z.object({ t: z.literal('seq'), seq: z.number().int().nonnegative() })
])
type JournalRecord = z.infer<typeof recordSchema>

export interface InterruptedRun {
  run: JournaledRun
  /** The run's assistant message, with its text up to the last sync, if it had started to answer. */
  message?: Message
}

/** What the journal gives back at start (rules G1 to G4, F3). */
export interface Recovery {
  /** Prompts accepted and not yet started, in the order they were accepted. */
  queued: JournaledRun[]
  /** Runs that had started and never ended, with no finished answer: a crash cut them off. */
  interrupted: InterruptedRun[]
  /**
   * Runs whose outcome is known but whose RunComplete never went out: they ended (the outcome is in their `ended`
   * record), or their answer had finished when the crash came before their end was written (G3: the outcome is the
   * finished message's). Each is published once at start, with no new message.
   */
  unpublished: RunComplete[]
  /** RunCompletes that went out before the crash, with their own seqs, for subscribers that missed them (G4). */
  published: ParleyEvent[]
  /** History events the renderer had not acknowledged, in seq order. */
  outbox: ParleyEvent[]
  /** The last seq main published, so it never reuses one. */
  lastSeq: number
  tornTail: boolean
  skipped: number
  /** The journal held an ack for a seq beyond every seq recorded before it (damage): that ack was left out. */
  ackBeyond: boolean
  /** Set when lines in the middle were damaged: they were left out, and the file was copied aside first. */
  damage: DataRecovery | undefined
}

/**
 * Damaged lines (not a crash's torn last line) cost the records they held: the file is copied aside before the
 * journal rewrites it, so nothing is thrown away unseen, and the window's banner says how many were lost.
 */
function damageOf(path: string, kept: number, lost: number): DataRecovery | undefined {
  if (lost === 0) return undefined
  const backupPath = `${path}.corrupt-${Date.now()}`
  let copied = backupPath
  try {
    copyFileSync(path, backupPath)
  } catch {
    copied = ''
  }
  const reason = `${lost} damaged record${lost === 1 ? ' was' : 's were'} left out`
  return { file: basename(path), backupPath: copied, reason, kept, lost }
}

interface PendingRun {
  run: JournaledRun
  started: boolean
  /** The run's answer, once it finished: a crash before the run's end keeps this outcome (G3). */
  finished?: Message
}

interface Outcome {
  complete: RunComplete
  /** The seq its run.complete went out with; undefined until it has. */
  seq: number | undefined
}

export interface MainJournalOptions {
  /** How long streamed text may wait before it is made durable (G2: about a second). */
  checkpointMs?: number
  /** The file size past which it is rewritten with only what is still needed. */
  compactBytes?: number
  /** How many recent outcomes are kept for subscribers that reconnect after a restart (G4). */
  keptOutcomes?: number
  /**
   * How many unacknowledged events are kept in memory (10,000, like the broker's replay ring; at most twice that
   * between trims). Older ones stay in the file until the next compaction.
   */
  keptOutbox?: number
  /** How writes reach the disk (a seam for the crash tests); node's fs, off the main thread, by default. */
  disk?: JournalDisk
}

/** Seqs are reserved this many ahead, in one durable record, so a restart never reuses one (F1). */
export const seqReserve = 1000

/**
 * Main's journal: the durable queue and the outbox of events the renderer has not acknowledged, as one append-only
 * JSON-lines file. Made durable (fsync) when a prompt is accepted, starts and ends, and about once a second while
 * answers stream; compacted when it grows.
 *
 * Group commit (docs/decisions.md): records never wait for the disk where they are made. Everything recorded in one
 * tick is one write and at most one fsync, off the main thread, so a thousand sessions ending runs together share one
 * fsync. What may not run ahead of the disk waits instead: `gate(seq)` holds an event from the service's subscribers
 * until the records it depends on are durable (B5, G3, G4: nobody hears a RunComplete a crash could take back), and
 * `durable()` holds a call's answer (an accepted prompt) the same way.
 */
export class MainJournal implements RunJournal {
  private readonly file: JournalFile<JournalRecord>
  /** Accepted runs not yet ended, in accept order (a Map keeps insertion order). */
  private readonly pending = new Map<string, PendingRun>()
  private outbox: ParleyEvent[] = []
  /** The events of assistant messages whose run is still going, kept past their ack so G2 can finish them. */
  private readonly inflight = new Map<string, { runId: string; events: ParleyEvent[] }>()
  private acked = 0
  /** The newest unacknowledged event the bounded outbox let go of (0: none). */
  private trimmed = 0
  /** The most recent runs' outcomes, oldest first (a Map keeps insertion order), bounded by `keptOutcomes`. */
  private readonly outcomes = new Map<string, Outcome>()
  private readonly keptOutcomes: number
  private readonly keptOutbox: number
  /** Chats deleted while this main runs: what their aborted turns still publish is not journaled. */
  private readonly deletedSessions = new Set<string>()
  /** The highest seq main has published, history or not. */
  private lastSeq = 0
  /** Seqs up to this one are reserved by a record in the file: a restart starts after it. */
  private reservedSeq = 0
  /** For `gate`: the last seq recorded in each group not yet known to be on disk, oldest first. */
  private readonly marks: { seq: number; group: number }[] = []
  private checkpointTimer: ReturnType<typeof setTimeout> | undefined
  private readonly checkpointMs: number
  private readonly compactBytes: number
  /** The file's size after the last compaction. */
  private compactedBytes = 0
  private detach: (() => void) | undefined

  private constructor(path: string, options: MainJournalOptions) {
    this.file = new JournalFile(
      path,
      (value) => {
        const parsed = recordSchema.safeParse(value)
        return parsed.success ? parsed.data : undefined
      },
      options.disk
    )
    this.checkpointMs = options.checkpointMs ?? 1000
    this.compactBytes = options.compactBytes ?? 4 * 1024 * 1024
    this.keptOutcomes = options.keptOutcomes ?? 1000
    this.keptOutbox = options.keptOutbox ?? 10_000
  }

  /** Reads the journal, works out what a crash or a quit left behind, and opens it for appending. */
  static open(path: string, options: MainJournalOptions = {}): { journal: MainJournal; recovery: Recovery } {
    const journal = new MainJournal(path, options)
    const read = journal.file.read()
    let lastSeq = 0
    let ackBeyond = false
    const messages = new Map<string, { runId: string; events: ParleyEvent[] }>()
    for (const record of read.records) {
      if (record.t === 'event') {
        lastSeq = Math.max(lastSeq, record.event.seq)
        journal.takeEvent(record.event, messages)
      } else if (record.t === 'seq') {
        lastSeq = Math.max(lastSeq, record.seq)
      } else if (record.t === 'ack' && record.seq > lastSeq) {
        // An ack is written only for a seq already heard, whose reservation comes before it in the file. One beyond
        // every seq so far is damage (or an older Parley's unchecked ack): taken, it would drop events no window has
        // and move the seqs past what they can count (2^53).
        ackBeyond = true
      } else {
        journal.take(record)
      }
    }
    journal.lastSeq = lastSeq
    journal.reservedSeq = lastSeq
    const interrupted: InterruptedRun[] = []
    const queued: JournaledRun[] = []
    const unpublished: RunComplete[] = []
    for (const { run, started, finished } of journal.pending.values()) {
      if (!started) {
        queued.push(run)
      } else if (finished) {
        unpublished.push(outcomeOf(finished))
      } else {
        const events = [...messages.values()].find((m) => m.runId === run.runId)?.events
        const message = events ? rebuildMessage(events) : undefined
        // Started, but nothing of it reached the file after that (its prompt's message is written in the same group
        // as its start, so only a torn write parts them): it is still only a queued prompt, and runs from the start.
        // A Retry has no prompt of its own: started, it is cut off (G2).
        if (!message && !run.userMessage && run.retryOf === undefined) queued.push(run)
        else interrupted.push(message ? { run, message } : { run })
      }
    }
    const published: ParleyEvent[] = []
    for (const { complete, seq } of journal.outcomes.values()) {
      if (seq === undefined) unpublished.push(complete)
      else published.push({ type: 'run.complete', complete, seq, at: Date.now() })
    }
    journal.outbox = journal.outbox.filter((event) => event.seq > journal.acked)
    const recovery: Recovery = {
      queued,
      interrupted,
      unpublished,
      published,
      outbox: [...journal.outbox],
      lastSeq,
      tornTail: read.tornTail,
      skipped: read.skipped,
      ackBeyond,
      damage: damageOf(path, read.records.length, read.skipped + (ackBeyond ? 1 : 0))
    }
    // Interrupted runs are ended by the agent at start; keep their messages until then.
    for (const [messageId, entry] of messages) {
      if (interrupted.some((i) => i.run.runId === entry.runId)) journal.inflight.set(messageId, entry)
    }
    journal.file.open(journal.snapshot())
    return { journal, recovery }
  }

  /** Journals every history event published from now on (the outbox), and syncs streamed text about once a second. */
  attach(broker: EventBroker): void {
    this.detach?.()
    this.detach = broker.subscribe({ since: broker.lastSeq }, (event) => this.record(event))
  }

  accepted(run: JournaledRun): void {
    const existing = this.pending.get(run.runId)
    // A run that waited (C3) is accepted again: it keeps its place and its user message.
    const merged: JournaledRun = existing?.run.userMessage && !run.userMessage ? { ...run, userMessage: existing.run.userMessage } : run
    this.write({ t: 'accepted', run: merged })
    this.file.sync()
  }

  started(runId: string): void {
    if (!this.pending.has(runId)) return
    this.write({ t: 'started', runId })
    this.file.sync()
  }

  /**
   * The run is over, with this outcome: durable before its RunComplete goes out (G4), so a crash in between still
   * publishes it after the restart, and a run that ended is never reported again as interrupted (G3).
   */
  ended(runId: string, complete?: RunComplete): void {
    if (!this.pending.has(runId)) return
    // A deleted chat's words are not kept: its runs' outcomes keep their shape, not their text.
    const kept = complete && this.deletedSessions.has(complete.sessionId) ? { ...complete, text: '' } : complete
    this.write(kept ? { t: 'ended', runId, complete: kept } : { t: 'ended', runId })
    this.file.sync()
  }

  /**
   * Resolves once every record made up to the moment the journal heard event `seq` is durable; undefined when they
   * already are. The service's subscribers hear each event only then (parley-service.ts), so a crash can never take
   * back what a client heard (B5, G3, G4).
   */
  gate(seq: number): Promise<void> | undefined {
    this.forgetDoneMarks()
    const mark = this.marks.find((m) => m.seq >= seq) ?? this.marks.at(-1)
    return mark ? this.file.whenDone(mark.group) : undefined
  }

  /**
   * Resolves once everything recorded so far is in the file (a killed process keeps it), without waiting for an fsync;
   * undefined when it already is. A turn waits for it before it sends its request: the model is never asked with a
   * history (an answer just finished, the prompt itself) that a crash could take back.
   */
  written(): Promise<void> | undefined {
    return this.file.whenWritten()
  }

  /** Resolves once everything recorded so far is durable (for calls that promise it: an accepted prompt). */
  durable(): Promise<void> {
    return this.file.durable()
  }

  /** The outcome of a recent run, if the journal still keeps it. */
  outcome(runId: string): RunComplete | undefined {
    return this.outcomes.get(runId)?.complete
  }

  /** The seq through which a window has committed every event: the outbox keeps only what is after it. */
  get ackedSeq(): number {
    return this.acked
  }

  /**
   * The seq after which every event is still in the outbox: what a window that acknowledged nothing since can be
   * replayed. Beyond the acks, the bounded outbox lets events go when no window acknowledges for long (main used
   * from the command line, the window closed to the tray).
   */
  get replayableAfter(): number {
    return Math.max(this.acked, this.trimmed)
  }

  /** The renderer has committed everything through `seq`: those events leave the outbox. */
  ack(seq: number): void {
    if (seq <= this.acked) return
    this.write({ t: 'ack', seq })
    this.dropAcked()
    // Compacted when it has grown to twice what the last compaction left: under a large outbox or queue, a compaction
    // per ack would rewrite megabytes each time.
    if (this.file.size > Math.max(this.compactBytes, 2 * this.compactedBytes)) this.compact()
  }

  /** The queued runs, in order (for tests and diagnostics). */
  queuedRuns(): JournaledRun[] {
    return [...this.pending.values()].filter((p) => !p.started).map((p) => p.run)
  }

  get outboxSize(): number {
    return this.outbox.length
  }

  /** Rewrites the file with only what is still needed: pending runs, the outbox, and in-flight answers. */
  compact(): void {
    this.file.rewrite(this.snapshot())
    this.compactedBytes = this.file.size
  }

  /** Stops recording, makes what was recorded durable, and closes the file. */
  async close(): Promise<void> {
    this.detach?.()
    this.detach = undefined
    clearTimeout(this.checkpointTimer)
    this.checkpointTimer = undefined
    await this.file.close()
  }

  private record(event: ParleyEvent): void {
    this.recordEvent(event)
    this.mark(event.seq)
  }

  private mark(seq: number): void {
    const group = this.file.position
    const last = this.marks.at(-1)
    if (last && last.group === group) last.seq = seq
    else this.marks.push({ seq, group })
    if (this.marks.length > 64) this.forgetDoneMarks()
  }

  private forgetDoneMarks(): void {
    let done = 0
    while (done < this.marks.length && this.file.whenDone((this.marks[done] as { group: number }).group) === undefined) done += 1
    if (done > 0) this.marks.splice(0, done)
  }

  /** F1: the first seq past the reserved ones reserves the next `seqReserve`, in one record, before it is heard. */
  private reserve(seq: number): void {
    if (seq <= this.reservedSeq) return
    this.reservedSeq = seq + seqReserve
    this.file.append({ t: 'seq', seq: this.reservedSeq })
  }

  private recordEvent(event: ParleyEvent): void {
    this.lastSeq = Math.max(this.lastSeq, event.seq)
    this.reserve(event.seq)
    const sessionId = sessionOf(event)
    if (event.type === 'session.deleted') {
      this.write({ t: 'event', event })
      this.purge(event.sessionId)
      return
    }
    if (sessionId !== undefined && this.deletedSessions.has(sessionId)) {
      // What a deleted chat's aborted turn still says (its last delta, its finish) is not history any more: the
      // window drops it too. Only its seq is kept (reserved), so a restart never reuses it. Its RunComplete's outcome
      // is kept, without words (`ended`): it is marked published, or each restart published it again (G4).
      if (event.type === 'run.complete' && this.outcomes.has(event.complete.runId)) {
        this.write({ t: 'published', runId: event.complete.runId, seq: event.seq })
      }
      return
    }
    if (event.type === 'run.complete') {
      // Recorded before any other subscriber hears it (the journal subscribes first), and written before the service's
      // subscribers hear it (`gate`). If it is lost, the outcome is published again at start, which is G4's "at least
      // once" half; the seq is what makes it "at most once" for a subscriber that resumes after the seq it saw.
      if (this.outcomes.has(event.complete.runId)) {
        this.write({ t: 'published', runId: event.complete.runId, seq: event.seq })
        return
      }
    }
    // Not history (run.*, queue.changed…): only its seq matters, and it is reserved.
    if (!historyEventTypes.has(event.type)) return
    this.write({ t: 'event', event })
    // The end of an answer is made durable at once; streamed text within about a second (G2).
    if (event.type === 'message.finished') {
      clearTimeout(this.checkpointTimer)
      this.checkpointTimer = undefined
      this.file.sync()
    } else if (!this.checkpointTimer) {
      this.checkpointTimer = setTimeout(() => {
        this.checkpointTimer = undefined
        this.file.sync()
      }, this.checkpointMs)
    }
  }

  private write(record: JournalRecord): void {
    const trimmed = this.trimmed
    if (record.t === 'event') this.takeEvent(record.event, this.inflight)
    else if (record.t !== 'seq') this.take(record)
    this.file.append(record)
    // Events the outbox let go are still in the file until the next compaction, which drops them: this says so then.
    if (this.trimmed > trimmed) this.file.append({ t: 'trimmed', seq: this.trimmed })
  }

  /** Applies a run or ack record to the in-memory mirror. */
  private take(record: Exclude<JournalRecord, { t: 'event' | 'seq' }>): void {
    switch (record.t) {
      case 'accepted': {
        const existing = this.pending.get(record.run.runId)
        if (existing) {
          existing.run = record.run
          existing.started = false
        } else {
          this.pending.set(record.run.runId, { run: record.run, started: false })
        }
        return
      }
      case 'started': {
        const pending = this.pending.get(record.runId)
        if (pending) pending.started = true
        return
      }
      case 'ended':
        this.pending.delete(record.runId)
        for (const [messageId, entry] of this.inflight) if (entry.runId === record.runId) this.inflight.delete(messageId)
        if (record.complete) this.keepOutcome(record.complete, undefined)
        return
      case 'published': {
        const outcome = this.outcomes.get(record.runId)
        if (outcome) outcome.seq = record.seq
        return
      }
      case 'ack':
        this.acked = Math.max(this.acked, record.seq)
        this.dropAcked()
        return
      case 'trimmed':
        this.trimmed = Math.max(this.trimmed, record.seq)
        return
    }
  }

  private takeEvent(event: ParleyEvent, messages: Map<string, { runId: string; events: ParleyEvent[] }>): void {
    if (event.seq > this.acked) {
      this.outbox.push(event)
      // Bounded like the broker's replay ring: a window away for longer than this rebuilds from main's log.
      if (this.outbox.length >= 2 * this.keptOutbox) {
        const gone = this.outbox.splice(0, this.outbox.length - this.keptOutbox)
        this.trimmed = Math.max(this.trimmed, gone.at(-1)?.seq ?? 0)
      }
    }
    if (event.type === 'message.created') {
      const { message } = event
      const pending = this.pending.get(message.runId)
      if (message.role === 'user' && pending) pending.run = { ...pending.run, userMessage: { id: message.id, seq: event.seq } }
      if (message.role === 'assistant' && pending) messages.set(message.id, { runId: message.runId, events: [event] })
    } else if (event.type === 'message.delta') {
      messages.get(event.messageId)?.events.push(event)
    } else if (event.type === 'message.finished') {
      messages.delete(event.message.id)
      const pending = this.pending.get(event.message.runId)
      if (event.message.role === 'assistant' && pending?.started) pending.finished = event.message
    }
  }

  /**
   * Deleting a chat deletes its words from main's journal too: its events leave the outbox (the window gets
   * `session.deleted`, which is all it needs), its answers in flight go, its outcomes lose their text, its runs still
   * going keep no prompt, and the file is rewritten at once so the old lines are gone from disk.
   */
  private purge(sessionId: string): void {
    this.deletedSessions.add(sessionId)
    const ofSession = (event: ParleyEvent): boolean => event.type !== 'session.deleted' && sessionOf(event) === sessionId
    this.outbox = this.outbox.filter((event) => !ofSession(event))
    for (const [messageId, entry] of this.inflight) if (entry.events.some(ofSession)) this.inflight.delete(messageId)
    // Its runs' outcomes keep their shape, not their text (as `ended` keeps them): the session log learns them only
    // with its next batch, so with them gone a crash before it left a run that ended with no outcome anywhere, and a
    // caller that reconnected (`awaitRun`, `parley run`) was told main never accepted it (G4).
    for (const [runId, outcome] of this.outcomes) {
      if (outcome.complete.sessionId === sessionId) this.outcomes.set(runId, { ...outcome, complete: { ...outcome.complete, text: '' } })
    }
    for (const pending of this.pending.values()) {
      if (pending.run.sessionId !== sessionId) continue
      pending.run = { ...pending.run, prompt: '' }
      delete pending.finished
    }
    this.compact()
  }

  /** The outbox is in seq order: acked events are a prefix, dropped in one splice (an ack per run stays cheap). */
  private dropAcked(): void {
    let acked = 0
    while (acked < this.outbox.length && (this.outbox[acked] as ParleyEvent).seq <= this.acked) acked += 1
    if (acked > 0) this.outbox.splice(0, acked)
  }

  private keepOutcome(complete: RunComplete, seq: number | undefined): void {
    this.outcomes.delete(complete.runId)
    this.outcomes.set(complete.runId, { complete, seq })
    if (this.outcomes.size <= this.keptOutcomes) return
    const oldest = this.outcomes.keys().next()
    if (!oldest.done) this.outcomes.delete(oldest.value)
  }

  private snapshot(): JournalRecord[] {
    const records: JournalRecord[] = []
    for (const { run, started } of this.pending.values()) {
      records.push({ t: 'accepted', run })
      if (started) records.push({ t: 'started', runId: run.runId })
    }
    // Outcomes first, as if their runs had been accepted and ended before the pending ones: only their order matters.
    const outcomes: JournalRecord[] = []
    for (const { complete, seq } of this.outcomes.values()) {
      outcomes.push({ t: 'accepted', run: { runId: complete.runId, sessionId: complete.sessionId, prompt: '', enqueuedAt: 0 } })
      outcomes.push({ t: 'ended', runId: complete.runId, complete })
      if (seq !== undefined) outcomes.push({ t: 'published', runId: complete.runId, seq })
    }
    records.unshift(...outcomes)
    const kept = new Map<number, ParleyEvent>()
    for (const entry of this.inflight.values()) for (const event of entry.events) kept.set(event.seq, event)
    for (const event of this.outbox) kept.set(event.seq, event)
    for (const event of [...kept.values()].sort((a, b) => a.seq - b.seq)) records.push({ t: 'event', event })
    // The reservation before the ack: a reader takes an ack only for a seq it has already seen reserved or heard.
    const reserved = Math.max(this.lastSeq, this.reservedSeq)
    if (reserved > 0) records.push({ t: 'seq', seq: reserved })
    if (this.acked > 0) records.push({ t: 'ack', seq: this.acked })
    if (this.trimmed > this.acked) records.push({ t: 'trimmed', seq: this.trimmed })
    return records
  }
}

/** The chat an event belongs to, if any. */
function sessionOf(event: ParleyEvent): string | undefined {
  switch (event.type) {
    case 'session.created':
      return event.session.id
    case 'message.created':
    case 'message.finished':
      return event.message.sessionId
    case 'run.complete':
      return event.complete.sessionId
    default:
      return 'sessionId' in event ? event.sessionId : undefined
  }
}

/** A finished answer's outcome, as the agent reports it when the run ends (B5). */
function outcomeOf(message: Message): RunComplete {
  const complete: RunComplete = {
    runId: message.runId,
    sessionId: message.sessionId,
    messageId: message.id,
    text: messageText(message),
    cancelled: message.finishReason === 'canceled'
  }
  if (message.finishReason === 'error') complete.error = message.error ?? 'The answer failed.'
  else if (message.finishReason === 'interrupted') complete.error = 'interrupted'
  return complete
}

/**
 * The assistant message as far as the journal has it: its created row plus every delta after it, folded by the one
 * reducer, always with a text part (an answer cut off before its first token is finished with empty text).
 */
function rebuildMessage(events: ParleyEvent[]): Message | undefined {
  const message = foldMessageEvents(events.filter(isMessageEvent))
  return message && { ...message, parts: partsOf(textsOf(message)) }
}
