import { mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { open, type Database, type RootDatabase } from 'lmdb'
import { z } from 'zod'
import {
  foldMessage,
  isMessageEvent,
  messageSchema,
  messageText,
  type Message,
  type MessageEvent,
  type ParleyEvent,
  type RunComplete
} from '../../../shared'
import type { HistoryPort, HistoryReadOptions, MessagePlace } from '../agent/ports'
import type { EventBroker } from '../events/event-broker'
import { removalOf, type Removal, type TreeEntry } from '../../../shared'
import { LogView, type LoggedMessage } from './log-view'
import { RunOutcomeIndex } from './run-outcome-index'
import { SeqWaiters } from './seq-waiters'

/** Where one message lives: its session, then the seq of its `message.created`, so a session is one key range. */
type MessageKey = [sessionId: string, createdSeq: number]

const messageKeySchema = z.tuple([z.string(), z.number()])

/** One message as the log keeps it: the message, and its parent on its branch (null for a session's first). */
const storedMessageSchema = z.object({ message: messageSchema, parentId: z.string().nullable() })
type StoredMessage = z.infer<typeof storedMessageSchema>

/** A session's current leaf: the newest message of the branch its next turn continues. */
const sessionHeadSchema = z.object({ leafId: z.string().nullable() })

const appliedSeqSchema = z.number().int().nonnegative()

/** Above every createdSeq: the upper end of a session's key range. */
const afterEverySeq = Number.POSITIVE_INFINITY

/** Set when a session was deleted since the store was last compacted. */
const purgedKey = 'purgedSinceCompaction'

/** How long streamed text may wait in memory before it is written (the journal covers a crash in between). */
export const checkpointMs = 1000

interface OpenMessage {
  key: MessageKey
  stored: StoredMessage
  dirty: boolean
}

export interface SessionLogOptions {
  checkpointMs?: number
  /** How many ended runs' outcomes are kept (`RunOutcomeIndex`); 10,000 by default. */
  keptOutcomes?: number
  warn?: (message: string) => void
}

/**
 * Main's session log (architecture.md, "Who owns what"): every session's messages, kept durably in main's data folder
 * in an embedded store (lmdb, docs/decisions.md), written from the events main publishes and folded by the one
 * reducer. Keys are `[sessionId, createdSeq]`, so the newest messages of one session are a bounded range read. Each
 * message keeps its parent on its branch, and each session its current leaf.
 *
 * A message is written when it is created and when it is finished; streamed text is folded in memory and written at
 * a checkpoint about once a second, so the log may lag a streaming message by that much (the journal recovers it).
 *
 * It is the agent's history port (rules B2, H1, H4): a read waits for every event through `afterSeq` to be written,
 * then walks the current branch newest first and stops as soon as the caller has enough.
 */
export class SessionLog implements HistoryPort {
  private readonly root: RootDatabase<unknown, string>
  private readonly messages: Database<unknown, MessageKey>
  private readonly ids: Database<unknown, string>
  private readonly heads: Database<unknown, string>
  /** The last runs' outcomes, for `awaitRun` after the journal has let them go (G4). */
  private readonly outcomes: RunOutcomeIndex
  /** Sessions deleted while the log is open: their messages are gone for readers before the removal is committed. */
  private readonly deleted = new Set<string>()
  private applied: number
  private lastWrite: Promise<unknown> = Promise.resolve()
  /** Messages created and not yet finished: their text grows in memory between checkpoints. */
  private readonly open = new Map<string, OpenMessage>()
  /** Where messages are whose write may not be committed yet (lmdb reads see only committed writes). */
  private readonly unsettled = new Map<string, { key: MessageKey; stored: StoredMessage; writes: number }>()
  /** Each session's leaf, as the log last set it (read once from the store, then kept here). */
  private readonly leaves = new Map<string, string | null>()
  private readonly waiters = new SeqWaiters()
  private timer: ReturnType<typeof setTimeout> | undefined
  private closed = false
  private readonly checkpointMs: number
  private readonly warn: (message: string) => void
  /** A seam for rule H4's test: how many stored messages reads have looked at, in all. */
  messagesRead = 0

  private constructor(path: string, options: SessionLogOptions) {
    // overlappingSync (lmdb's default off Windows): a commit is visible at once and flushed to disk just after it.
    this.root = open<unknown, string>({ path, compression: true })
    this.messages = this.root.openDB<unknown, MessageKey>({ name: 'messages' })
    this.ids = this.root.openDB<unknown, string>({ name: 'message-keys' })
    this.heads = this.root.openDB<unknown, string>({ name: 'sessions' })
    this.outcomes = new RunOutcomeIndex(this.root, options.keptOutcomes)
    const applied = appliedSeqSchema.safeParse(this.root.get('appliedSeq'))
    this.applied = applied.success ? applied.data : 0
    this.checkpointMs = options.checkpointMs ?? checkpointMs
    this.warn = options.warn ?? ((message) => console.warn(`[parley] ${message}`))
  }

  /**
   * Opens (or creates) the log in a folder of its own. If a session was deleted since the last start, the store is
   * first rewritten with only its live data (lmdb's compacting copy), so the deleted text is gone from the disk too.
   */
  static async open(path: string, options: SessionLogOptions = {}): Promise<SessionLog> {
    const log = new SessionLog(path, options)
    if (log.root.get(purgedKey) !== true) return log
    const copy = `${path}.compacting`
    rmSync(copy, { recursive: true, force: true })
    mkdirSync(copy)
    await log.root.backup(copy, true)
    await log.root.close()
    // Atomic: a crash before it leaves the old store and the flag, and the next start compacts again.
    renameSync(join(copy, 'data.mdb'), join(path, 'data.mdb'))
    rmSync(copy, { recursive: true, force: true })
    const compacted = new SessionLog(path, options)
    await compacted.root.remove(purgedKey)
    return compacted
  }

  /** The seq of the last event the log has taken in. */
  get appliedSeq(): number {
    return this.applied
  }

  /**
   * Takes in every event the broker still retains after the last one written (after a restart, the journal's
   * unacknowledged events), then the live ones. Returns the unsubscribe function.
   */
  attach(broker: EventBroker): () => void {
    return broker.subscribe({ since: this.applied }, (event) => this.apply(event))
  }

  /** Takes in one event; one at or below the applied seq is ignored, so applying twice changes nothing. */
  apply(event: ParleyEvent): void {
    if (this.closed || event.seq <= this.applied) return
    this.applied = event.seq
    if (isMessageEvent(event)) this.takeMessageEvent(event)
    else if (event.type === 'session.deleted') this.purge(event.sessionId)
    else if (event.type === 'session.branch') this.setLeaf(event.sessionId, event.leafId)
    else if (event.type === 'messages.deleted') this.removeMessages(event.sessionId, event.messageIds, event.leafId)
    else if (event.type === 'run.complete') this.track(this.outcomes.take(event.complete, event.seq))
    this.waiters.wake(this.applied)
  }

  async read(sessionId: string, options: HistoryReadOptions): Promise<Message[]> {
    await this.waiters.until(options.afterSeq, this.applied)
    await this.written()
    options.signal?.throwIfAborted()
    let expected = options.from ?? this.leafOf(sessionId)
    const newestFirst: Message[] = []
    if (expected === null) return newestFirst
    const range = this.messages.getRange({ start: [sessionId, afterEverySeq], end: [sessionId], reverse: true })
    for (const { value } of range) {
      this.messagesRead += 1
      const stored = this.parse(value)
      // Messages of other branches sit between a message and its parent: skip them.
      if (!stored || stored.message.id !== expected) continue
      newestFirst.push(this.open.get(stored.message.id)?.stored.message ?? stored.message)
      expected = stored.parentId
      if (expected === null || options.enough?.(newestFirst)) break
    }
    return newestFirst.reverse()
  }

  /**
   * The outcome of one of the last 10,000 runs that ended, as its RunComplete said, its text read back from its
   * message (empty if the message is gone, with its chat). Undefined for a run the log never saw end.
   */
  outcome(runId: string): RunComplete | undefined {
    const indexed = this.outcomes.get(runId)
    if (!indexed) return undefined
    const complete: RunComplete = { runId, sessionId: indexed.sessionId, text: '', cancelled: indexed.cancelled }
    if (indexed.messageId !== undefined) {
      complete.messageId = indexed.messageId
      const message = this.deleted.has(indexed.sessionId)
        ? undefined
        : (this.open.get(indexed.messageId)?.stored.message ?? this.find(indexed.messageId)?.stored?.message)
      if (message) complete.text = messageText(message)
    }
    if (indexed.error !== undefined) complete.error = indexed.error
    return complete
  }

  /**
   * Resolves once every write issued so far is committed, and no later: under fifty streaming answers there is always
   * a newer write, and waiting for quiet (`settled`) would hold a turn's read or an ack for as long as they stream.
   */
  written(): Promise<void> {
    return this.lastWrite.then(() => undefined)
  }

  /** Resolves once every write is committed and no new one was issued meanwhile (for closing). */
  async settled(): Promise<void> {
    let last
    do {
      last = this.lastWrite
      await last
    } while (last !== this.lastWrite)
  }

  /** Writes what streamed since the last checkpoint, waits for every write, and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return
    this.checkpoint()
    this.closed = true
    await this.settled()
    await this.root.flushed
    await this.root.close()
  }

  private takeMessageEvent(event: MessageEvent): void {
    const id = event.type === 'message.delta' ? event.messageId : event.message.id
    const open = this.open.get(id)
    if (event.type === 'message.delta') {
      if (!open) return
      const folded = foldMessage(open.stored.message, event)
      if (!folded || folded === open.stored.message) return
      open.stored = { ...open.stored, message: folded }
      open.dirty = true
      this.scheduleCheckpoint()
      return
    }
    const known = open ?? this.find(id)
    const key = known?.key
    let stored: StoredMessage
    if (known) {
      // A message the log knows (its finished, or a created replayed): its place on the branch stays.
      stored = { message: foldMessage(known.stored?.message, event) ?? event.message, parentId: known.stored?.parentId ?? null }
    } else {
      // New on the session's branch: its parent is the message it names (null: it starts a branch), else (messages
      // from before the tree) the current leaf; it becomes the leaf.
      const sessionId = event.message.sessionId
      const named = event.message.parentId
      stored = { message: event.message, parentId: named === undefined ? this.leafOf(sessionId) : named }
      this.setLeaf(sessionId, id)
    }
    const at: MessageKey = key ?? [event.message.sessionId, event.seq]
    if (stored.message.status === 'streaming') this.open.set(id, { key: at, stored, dirty: false })
    else this.open.delete(id)
    this.writeMessage(at, stored)
  }

  private writeMessage(key: MessageKey, stored: StoredMessage): void {
    const id = stored.message.id
    const entry = this.unsettled.get(id) ?? { key, stored, writes: 0 }
    entry.stored = stored
    entry.writes += 1
    this.unsettled.set(id, entry)
    const written = Promise.all([this.messages.put(key, stored), this.ids.put(id, key), this.root.put('appliedSeq', this.applied)])
    this.track(
      written.finally(() => {
        entry.writes -= 1
        if (entry.writes === 0 && this.unsettled.get(id) === entry) this.unsettled.delete(id)
      })
    )
  }

  /** Where a message is and what the log holds for it, whether its last write is committed or not. */
  private find(messageId: string): { key: MessageKey; stored: StoredMessage | undefined } | undefined {
    const unsettled = this.unsettled.get(messageId)
    if (unsettled) return unsettled
    const key = messageKeySchema.safeParse(this.ids.get(messageId))
    return key.success ? { key: key.data, stored: this.parse(this.messages.get(key.data)) } : undefined
  }

  private setLeaf(sessionId: string, leafId: string | null): void {
    this.leaves.set(sessionId, leafId)
    this.track(this.heads.put(sessionId, { leafId }))
  }

  leaf(sessionId: string): string | null {
    return this.leafOf(sessionId)
  }

  place(messageId: string): MessagePlace | undefined {
    const stored = this.open.get(messageId)?.stored ?? this.find(messageId)?.stored
    if (!stored) return undefined
    return { sessionId: stored.message.sessionId, role: stored.message.role, parentId: stored.parentId }
  }

  /**
   * H3: one pass over the session's messages from `messageId` on (its descendants are all newer), keeping each
   * parent's newest child, then down from `messageId` by newest children. Writes not yet committed count too.
   */
  newestLeafUnder(sessionId: string, messageId: string): string {
    const start = this.find(messageId)?.key
    if (!start || start[0] !== sessionId) return messageId
    const newestChild = new Map<string, { id: string; seq: number }>()
    const see = (key: MessageKey, stored: StoredMessage | undefined): void => {
      if (!stored?.parentId || key[0] !== sessionId || key[1] <= start[1]) return
      const known = newestChild.get(stored.parentId)
      if (!known || known.seq < key[1]) newestChild.set(stored.parentId, { id: stored.message.id, seq: key[1] })
    }
    for (const { key, value } of this.messages.getRange({ start: [sessionId, start[1]], end: [sessionId, afterEverySeq] })) {
      this.messagesRead += 1
      see(key, this.parse(value))
    }
    for (const { key, stored } of this.unsettled.values()) see(key, stored)
    let leaf = messageId
    for (let next = newestChild.get(leaf); next; next = newestChild.get(leaf)) leaf = next.id
    return leaf
  }

  /** One pass over the session's messages (writes not yet committed count too): deleting is rare, reading is not. */
  removal(sessionId: string, messageId: string): Removal {
    const bySeq = new Map<number, TreeEntry>()
    const see = (key: MessageKey, stored: StoredMessage | undefined): void => {
      if (stored && key[0] === sessionId) bySeq.set(key[1], { id: stored.message.id, parentId: stored.parentId })
    }
    for (const { key, value } of this.messages.getRange({ start: [sessionId], end: [sessionId, afterEverySeq] })) {
      this.messagesRead += 1
      see(key, this.parse(value))
    }
    for (const { key, stored } of this.unsettled.values()) see(key, stored)
    const entries = [...bySeq.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry)
    return removalOf(entries, messageId, this.leafOf(sessionId))
  }

  private leafOf(sessionId: string): string | null {
    const known = this.leaves.get(sessionId)
    if (known !== undefined) return known
    const head = sessionHeadSchema.safeParse(this.heads.get(sessionId))
    const leaf = head.success ? head.data.leafId : null
    this.leaves.set(sessionId, leaf)
    return leaf
  }

  /**
   * A deleted session's messages go: their keys are removed once every earlier write is committed. lmdb puts the
   * freed pages on its free list and reuses them; until then the old bytes stay in the file, so the store is
   * compacted at the next start (docs/decisions.md).
   */
  private purge(sessionId: string): void {
    this.deleted.add(sessionId)
    for (const [id, open] of this.open) if (open.key[0] === sessionId) this.open.delete(id)
    this.leaves.set(sessionId, null)
    const applied = this.applied
    // After every write issued before it (not after itself: it is one of them once tracked).
    const earlier = this.lastWrite
    this.track(
      earlier.then(() =>
        this.root.transaction(() => {
          for (const { key, value } of this.messages.getRange({ start: [sessionId], end: [sessionId, afterEverySeq] })) {
            const stored = this.parse(value)
            if (stored) void this.ids.remove(stored.message.id)
            void this.messages.remove(key)
          }
          void this.heads.remove(sessionId)
          // The freed pages keep the old bytes until lmdb reuses them: the next start compacts the store.
          void this.root.put(purgedKey, true)
          void this.root.put('appliedSeq', Math.max(applied, this.appliedSeqStored()))
        })
      )
    )
  }

  /**
   * Deleted messages (`messages.deleted`) go as a deleted chat's do: their keys are removed once every earlier write
   * is committed, and the store is compacted at the next start so their text leaves the disk.
   */
  private removeMessages(sessionId: string, messageIds: readonly string[], leafId: string | null): void {
    const keys = messageIds.flatMap((id) => {
      this.open.delete(id)
      const key = this.find(id)?.key
      return key && key[0] === sessionId ? [{ id, key }] : []
    })
    this.setLeaf(sessionId, leafId)
    const applied = this.applied
    const earlier = this.lastWrite
    this.track(
      earlier.then(() =>
        this.root.transaction(() => {
          for (const { id, key } of keys) {
            void this.messages.remove(key)
            void this.ids.remove(id)
          }
          void this.root.put(purgedKey, true)
          void this.root.put('appliedSeq', Math.max(applied, this.appliedSeqStored()))
        })
      )
    )
  }

  private appliedSeqStored(): number {
    const stored = appliedSeqSchema.safeParse(this.root.get('appliedSeq'))
    return stored.success ? stored.data : 0
  }

  private scheduleCheckpoint(): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.checkpoint()
    }, this.checkpointMs)
    this.timer.unref?.()
  }

  private checkpoint(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.closed) return
    for (const open of this.open.values()) {
      if (!open.dirty) continue
      open.dirty = false
      this.writeMessage(open.key, open.stored)
    }
  }

  private track(write: Promise<unknown>): void {
    const tracked = write.catch((error: unknown) => this.warn(`the session log could not be written: ${String(error)}`))
    this.lastWrite = Promise.all([this.lastWrite, tracked]).then(() => undefined)
  }

  /** Values read back from the store cross a boundary: a damaged one is skipped, never trusted. */
  private parse(value: unknown): StoredMessage | undefined {
    const parsed = storedMessageSchema.safeParse(value)
    return parsed.success ? parsed.data : undefined
  }

  /**
   * The log as it stands now, held still for a paged read (history-snapshot.ts): lmdb's committed state in a read
   * transaction, with copies of what is not committed yet laid over it (writes in flight, streamed text, leaves).
   * Read-only and synchronous, so it is exactly the events through `appliedSeq`. The caller calls `done()` on it.
   */
  view(): LogView {
    const pending = new Map<string, LoggedMessage>()
    for (const [id, entry] of this.unsettled) pending.set(id, { key: entry.key, ...entry.stored })
    for (const [id, open] of this.open) pending.set(id, { key: open.key, ...open.stored })
    return new LogView({
      seq: this.applied,
      transaction: this.root.useReadTransaction(),
      messages: this.messages,
      heads: this.heads,
      pending: [...pending.values()],
      leaves: new Map(this.leaves),
      parse: (value) => this.parse(value),
      parseLeaf: (value) => {
        const head = sessionHeadSchema.safeParse(value)
        return head.success ? head.data.leafId : null
      }
    })
  }
}
