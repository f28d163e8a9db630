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
import type { EventGate } from '../events/gated-listener'
import { removalOf, type Removal, type TreeEntry } from '../../../shared'
import { LogView, type LoggedMessage } from './log-view'
import { LruCache } from './lru-cache'
import { RunOutcomeIndex } from './run-outcome-index'
import { SeqWaiters } from './seq-waiters'
import { StoreGenerations } from './store-generations'

/** overlappingSync (lmdb's default off Windows): a commit is visible at once and flushed to disk just after it. */
function openStore(path: string): RootDatabase<unknown, string> {
  return open<unknown, string>({ path, compression: true })
}

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

/**
 * About how many bytes of the history the log keeps in memory, most recently used first (the store has it all): a
 * message weighs its text's characters and `messageOverhead` more. 24 MB holds ~23,000 short messages (the core
 * bench's drain of 1,000 chats at once reads ~20,000 again and again: with 4,096 messages kept, as before, every turn
 * read its context back from the store) or ~4,800 of 4,000 characters.
 */
export const cacheBudget = 24 * 1024 * 1024

/** What a message kept in memory costs beyond its text (measured in V8: ~1,130 bytes for one of 210 characters). */
const messageOverhead = 1_000

/** A kept message's weight in `cacheBudget`'s units. */
function weighPlaced(placed: Placed): number {
  let chars = 0
  for (const part of placed.stored?.message.parts ?? []) if ('text' in part) chars += part.text.length
  return messageOverhead + chars
}

interface OpenMessage {
  key: MessageKey
  stored: StoredMessage
  dirty: boolean
}

/** A message and where it is. `stored` is undefined for a value in the store that could not be read. */
interface Placed {
  key: MessageKey
  stored: StoredMessage | undefined
}

/** The writes made in one tick: one lmdb transaction, committed once the journal has what they depend on. */
interface Batch {
  id: number
  ops: (() => void)[]
  /** Run once the transaction is committed: what was kept in memory for readers until then is let go. */
  after: (() => void)[]
  /** The last event the batch depends on: the journal's gate for it opens before the batch is written. */
  lastSeq: number
  /** The applied seq to store with it, if it writes messages (0: it does not). */
  appliedSeq: number
  /** It removes messages: once committed, the store is compacted so their text leaves the disk. */
  compacts: boolean
}

export interface SessionLogOptions {
  checkpointMs?: number
  /** How many ended runs' outcomes are kept (`RunOutcomeIndex`); 10,000 by default. */
  keptOutcomes?: number
  /** About how much of the history is kept in memory (`cacheBudget` by default, in its units). */
  cacheBudget?: number
  /** Holds each batch until the journal records of its events are durable (main's journal's `gate`). */
  gate?: EventGate
  warn?: (message: string) => void
  /**
   * Issue 14: told, once a removal is committed, of the attachments whose last message in the log went with it (the
   * caller removes the file, unless a queued prompt still uses it).
   */
  attachmentsUnused?: (ids: string[]) => void
}

/** Above every message id: the upper end of one attachment's range of uses. */
const afterEveryId = '\uffff'

/**
 * Main's session log (architecture.md, "Who owns what"): every session's messages, kept durably in main's data folder
 * in an embedded store (lmdb, docs/decisions.md), written from the events main publishes and folded by the one
 * reducer. Keys are `[sessionId, createdSeq]`, so the newest messages of one session are a bounded range read. Each
 * message keeps its parent on its branch, and each session its current leaf.
 *
 * A message is written when it is created and when it is finished; streamed text is folded in memory and written at
 * a checkpoint about once a second, so the log may lag a streaming message by that much (the journal recovers it).
 *
 * Writes are batched: everything applied in one tick is one lmdb transaction, issued once the journal has made the
 * records of those events durable (`gate`), so after a crash the log is never ahead of the journal. Reads never wait
 * for a commit: writes not yet committed are kept in memory (`unsettled`) and read first, then a bounded cache of
 * recent messages, then the store.
 *
 * It is the agent's history port (rules B2, H1, H4): a read waits for every event through `afterSeq` to be applied,
 * then walks the current branch from its leaf, parent by parent, and stops as soon as the caller has enough.
 */
export class SessionLog implements HistoryPort {
  private root: RootDatabase<unknown, string>
  private messages: Database<unknown, MessageKey>
  private ids: Database<unknown, string>
  private heads: Database<unknown, string>
  /** Issue 14's ref index: a key `[attachmentId, messageId]` per message that uses a file, so deletes never scan. */
  private uses: Database<unknown, [string, string]>
  /** Views (paged snapshots) still reading each store; a store replaced by a compaction closes once it has none. */
  private readonly viewsOpen = new Map<RootDatabase<unknown, string>, number>()
  private readonly retired = new Set<RootDatabase<unknown, string>>()
  /** The last runs' outcomes, for `awaitRun` after the journal has let them go (G4). */
  private readonly outcomes: RunOutcomeIndex
  /** Sessions deleted while the log is open: their messages are gone for readers before the removal is committed. */
  private readonly deleted = new Set<string>()
  private applied: number
  private lastWrite: Promise<unknown> = Promise.resolve()
  /** Batches are issued to lmdb in order, each after its gate: the next one is issued after this. */
  private issued: Promise<unknown> = Promise.resolve()
  /** This tick's writes, not yet issued. */
  private batch: Batch | undefined
  private batchIds = 0
  private readonly gate: EventGate
  /** Messages created and not yet finished: their text grows in memory between checkpoints. */
  private readonly open = new Map<string, OpenMessage>()
  /** Messages whose write is not committed yet (lmdb reads see only committed writes), with the batch that has it. */
  private readonly unsettled = new Map<string, Placed & { batch: number }>()
  /** The most recently used messages: bounded, so memory does not follow the length of the chats. */
  private readonly cache: LruCache<string, Placed>
  /** Messages deleted, and sessions purged, whose removal is not committed yet: the store still has them. */
  private readonly removing = new Map<string, number>()
  private readonly purging = new Map<string, number>()
  /** Each session's leaf, as the log last set it (read once from the store, then kept here). */
  private readonly leaves = new Map<string, string | null>()
  private readonly waiters = new SeqWaiters()
  private timer: ReturnType<typeof setTimeout> | undefined
  private closed = false
  private readonly checkpointMs: number
  private readonly warn: (message: string) => void
  private readonly attachmentsUnused: (ids: string[]) => void
  /** A seam for rule H4's test: how many stored messages reads have looked at, in all. */
  messagesRead = 0

  private constructor(
    private readonly generations: StoreGenerations,
    options: SessionLogOptions
  ) {
    this.root = openStore(generations.current)
    this.messages = this.root.openDB<unknown, MessageKey>({ name: 'messages' })
    this.ids = this.root.openDB<unknown, string>({ name: 'message-keys' })
    this.heads = this.root.openDB<unknown, string>({ name: 'sessions' })
    this.uses = this.root.openDB<unknown, [string, string]>({ name: 'attachment-uses' })
    this.attachmentsUnused = options.attachmentsUnused ?? (() => undefined)
    this.outcomes = new RunOutcomeIndex(this.root, options.keptOutcomes)
    const applied = appliedSeqSchema.safeParse(this.root.get('appliedSeq'))
    this.applied = applied.success ? applied.data : 0
    this.checkpointMs = options.checkpointMs ?? checkpointMs
    this.cache = new LruCache(options.cacheBudget ?? cacheBudget, weighPlaced)
    this.gate = options.gate ?? (() => undefined)
    this.warn = options.warn ?? ((message) => console.warn(`[parley] ${message}`))
  }

  /**
   * Opens (or creates) the log in a folder of its own (its store in a generation folder, `store-generations.ts`). If
   * a deletion was not yet compacted away when Parley stopped, the store is compacted first, so the deleted text is
   * gone from the disk before anything else runs.
   */
  static async open(path: string, options: SessionLogOptions = {}): Promise<SessionLog> {
    const generations = new StoreGenerations(path)
    generations.removeLeftovers()
    const log = new SessionLog(generations, options)
    if (log.root.get(purgedKey) === true) await log.compact()
    return log
  }

  /**
   * Deleted text leaves the disk at once (issue 9, "Delete purges"): lmdb keeps freed pages' old bytes until it reuses
   * them, so after a commit that removed messages the store is copied with only its live pages (lmdb's compacting
   * backup) into the next generation folder, the pointer moves to it, and the old folder is removed. It runs in the
   * chain of batches, so no write is lost or reordered: later batches wait for it, and reads go on from the old store
   * until the new one is swapped in, in one synchronous step.
   */
  private async compact(): Promise<void> {
    // A later batch that deletes again will compact after itself: one copy covers both.
    if (this.closed || this.batch?.compacts) return
    const next = this.generations.prepareNext()
    await this.root.backup(next, true)
    const old = this.root
    const root = openStore(next)
    await root.remove(purgedKey)
    this.root = root
    this.messages = root.openDB<unknown, MessageKey>({ name: 'messages' })
    this.ids = root.openDB<unknown, string>({ name: 'message-keys' })
    this.heads = root.openDB<unknown, string>({ name: 'sessions' })
    this.uses = root.openDB<unknown, [string, string]>({ name: 'attachment-uses' })
    this.outcomes.reopen(root)
    this.compactions += 1
    this.retire(old)
    this.generations.commitNext()
  }

  /** How many times the store was compacted while open (a seam for tests). */
  compactions = 0

  /** Closes a replaced store once no view reads it any more. */
  private retire(old: RootDatabase<unknown, string>): void {
    if ((this.viewsOpen.get(old) ?? 0) > 0) {
      this.retired.add(old)
      return
    }
    this.viewsOpen.delete(old)
    void old.close()
  }

  /** The seq of the last event the log has taken in. */
  /** How much of the history is kept in memory now, in `cacheBudget`'s units. */
  get cachedWeight(): number {
    return this.cache.weight
  }

  get appliedSeq(): number {
    return this.applied
  }

  /**
   * Takes in every event the broker still retains after the last one written (after a restart, the journal's
   * unacknowledged events), then the live ones. Returns the unsubscribe function.
   */
  attach(broker: EventBroker): () => void {
    const detach = broker.subscribe({ since: this.applied }, (event) => this.apply(event))
    // The retained events are all taken in by now; seqs a restart skipped (the journal reserves them ahead, F1) will
    // never come, so a read that waits for one of them must not wait.
    if (broker.lastSeq > this.applied) {
      this.applied = broker.lastSeq
      this.waiters.wake(this.applied)
    }
    return detach
  }

  /** Takes in one event; one at or below the applied seq is ignored, so applying twice changes nothing. */
  apply(event: ParleyEvent): void {
    if (this.closed || event.seq <= this.applied) return
    this.applied = event.seq
    if (isMessageEvent(event)) this.takeMessageEvent(event)
    else if (event.type === 'session.deleted') this.purge(event.sessionId)
    else if (event.type === 'session.branch') this.setLeaf(event.sessionId, event.leafId)
    else if (event.type === 'messages.deleted') this.removeMessages(event.sessionId, event.messageIds, event.leafId)
    else if (event.type === 'run.complete') this.stageOutcome(event.complete, event.seq)
    if (this.batch) this.batch.lastSeq = this.applied
    this.waiters.wake(this.applied)
  }

  /** Never waits for a commit: writes not yet committed are read from memory (H4: the cost follows the context). */
  async read(sessionId: string, options: HistoryReadOptions): Promise<Message[]> {
    await this.waiters.until(options.afterSeq, this.applied)
    options.signal?.throwIfAborted()
    const newestFirst: Message[] = []
    for (let expected = options.from ?? this.leafOf(sessionId); expected !== null; ) {
      const stored = this.find(expected)
      if (!stored?.stored || stored.key[0] !== sessionId) break
      this.messagesRead += 1
      newestFirst.push(this.open.get(expected)?.stored.message ?? stored.stored.message)
      expected = stored.stored.parentId
      if (options.enough?.(newestFirst)) break
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
    this.flush()
    return this.lastWrite.then(() => undefined)
  }

  /** Resolves once every write is committed and no new one was issued meanwhile (for closing). */
  async settled(): Promise<void> {
    let last
    do {
      this.flush()
      last = this.lastWrite
      await last
    } while (last !== this.lastWrite || this.batch)
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
    // A created message is new to the store: an event after the stored appliedSeq was never written, and one at or
    // below it is not applied again. So only a finished one (or a created one seen in this lifetime) looks it up.
    const known = open ?? (event.type === 'message.created' ? this.inMemory(id) : this.find(id))
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
    const batch = this.queue()
    batch.appliedSeq = this.applied
    const entry = { key, stored, batch: batch.id }
    this.unsettled.set(id, entry)
    this.cache.set(id, entry)
    const attachments = stored.message.attachments ?? []
    batch.ops.push(() => {
      void this.messages.put(key, stored)
      void this.ids.put(id, key)
      for (const ref of attachments) void this.uses.put([ref.id, id], true)
    })
    batch.after.push(() => {
      if (this.unsettled.get(id) === entry) this.unsettled.delete(id)
    })
  }

  /** G4: the outcome is visible at once and written with the batch of its RunComplete. */
  private stageOutcome(complete: RunComplete, seq: number): void {
    const staged = this.outcomes.stage(complete, seq)
    const batch = this.queue()
    batch.ops.push(staged.write)
    batch.after.push(staged.settled)
  }

  /**
   * Where a message is and what the log holds for it, whether its last write is committed or not: the writes not yet
   * committed, then the cache, then the store (what it reads there is cached).
   */
  private find(messageId: string): Placed | undefined {
    const known = this.inMemory(messageId)
    if (known) return known
    if (this.removing.has(messageId)) return undefined
    const key = messageKeySchema.safeParse(this.ids.get(messageId))
    if (!key.success || this.purging.has(key.data[0])) return undefined
    const placed: Placed = { key: key.data, stored: this.parse(this.messages.get(key.data)) }
    if (placed.stored) this.cache.set(messageId, placed)
    return placed
  }

  private inMemory(messageId: string): Placed | undefined {
    return this.unsettled.get(messageId) ?? this.cache.get(messageId)
  }

  private setLeaf(sessionId: string, leafId: string | null): void {
    this.leaves.set(sessionId, leafId)
    this.queue().ops.push(() => void this.heads.put(sessionId, { leafId }))
  }

  /**
   * Every chat the log has messages for, with its first message and its newest message's time: what a chat list lost
   * with a damaged sessions.json is rebuilt from. Reads two messages a chat (only at such a start).
   */
  *chatsWithMessages(): Generator<{ sessionId: string; first: Message; lastAt: number }> {
    for (const sessionId of this.heads.getKeys()) {
      if (typeof sessionId !== 'string' || this.deleted.has(sessionId) || this.purging.has(sessionId)) continue
      let first: Message | undefined
      for (const placed of this.committed(sessionId, 0)) {
        first = placed.stored?.message
        if (first) break
      }
      if (!first) continue
      let lastAt = first.createdAt
      for (const { value } of this.messages.getRange({ start: [sessionId, afterEverySeq], end: [sessionId, 0], reverse: true, limit: 1 })) {
        const last = this.parse(value)
        if (last) lastAt = last.message.createdAt
      }
      yield { sessionId, first, lastAt }
    }
  }

  leaf(sessionId: string): string | null {
    return this.leafOf(sessionId)
  }

  place(messageId: string): MessagePlace | undefined {
    const stored = this.open.get(messageId)?.stored ?? this.find(messageId)?.stored
    if (!stored) return undefined
    const { message } = stored
    return { sessionId: message.sessionId, role: message.role, parentId: stored.parentId, attachments: message.attachments ?? [] }
  }

  /**
   * Up from the leaf by parents, no further back than `messageId` (an ancestor is always older: its seq is lower), so
   * the cost is the distance from the leaf. Writes not yet committed count too.
   */
  onCurrentBranch(sessionId: string, messageId: string): boolean {
    const target = this.find(messageId)?.key
    if (!target || target[0] !== sessionId) return false
    for (let id = this.leafOf(sessionId); id !== null; ) {
      if (id === messageId) return true
      const placed = this.find(id)
      if (!placed?.stored || placed.key[0] !== sessionId || placed.key[1] < target[1]) return false
      id = placed.stored.parentId
    }
    return false
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
    for (const { key, stored } of this.committed(sessionId, start[1])) see(key, stored)
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
    for (const { key, stored } of this.committed(sessionId, 0)) see(key, stored)
    for (const { key, stored } of this.unsettled.values()) see(key, stored)
    const entries = [...bySeq.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry)
    return removalOf(entries, messageId, this.leafOf(sessionId))
  }

  /** The session's committed messages from `fromSeq` on, less those whose removal is not committed yet. */
  private *committed(sessionId: string, fromSeq: number): Generator<Placed> {
    if (this.purging.has(sessionId)) return
    for (const { key, value } of this.messages.getRange({ start: [sessionId, fromSeq], end: [sessionId, afterEverySeq] })) {
      this.messagesRead += 1
      const stored = this.parse(value)
      if (stored && this.removing.has(stored.message.id)) continue
      yield { key, stored }
    }
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
    for (const [id, entry] of this.unsettled) if (entry.key[0] === sessionId) this.unsettled.delete(id)
    this.cache.deleteWhere((placed) => placed.key[0] === sessionId)
    this.leaves.set(sessionId, null)
    const batch = this.queue()
    batch.appliedSeq = this.applied
    this.purging.set(sessionId, batch.id)
    batch.compacts = true
    // In the batch's transaction, after every write before it: the range sees them all.
    const touched = new Set<string>()
    batch.ops.push(() => {
      for (const { key, value } of this.messages.getRange({ start: [sessionId], end: [sessionId, afterEverySeq] })) {
        const stored = this.parse(value)
        if (stored) {
          void this.ids.remove(stored.message.id)
          this.dropUses(stored.message, touched)
        }
        void this.messages.remove(key)
      }
      void this.heads.remove(sessionId)
      // Until the compaction that follows this batch, the freed pages keep the old bytes: if Parley stops before it,
      // the next start compacts.
      void this.root.put(purgedKey, true)
    })
    batch.after.push(() => {
      if (this.purging.get(sessionId) === batch.id) this.purging.delete(sessionId)
      this.reportUnused(touched)
    })
  }

  /**
   * Deleted messages (`messages.deleted`) go as a deleted chat's do: their keys are removed in this tick's batch, and
   * the store is compacted at the next start so their text leaves the disk. Until the removal is committed, readers
   * no longer see them, and they leave the cache at once.
   */
  private removeMessages(sessionId: string, messageIds: readonly string[], leafId: string | null): void {
    const keys = messageIds.flatMap((id) => {
      this.open.delete(id)
      const found = this.find(id)
      const key = found?.key
      return key && key[0] === sessionId ? [{ id, key, message: found.stored?.message }] : []
    })
    const touched = new Set<string>()
    this.setLeaf(sessionId, leafId)
    const batch = this.queue()
    batch.appliedSeq = this.applied
    batch.compacts = true
    for (const { id } of keys) {
      this.unsettled.delete(id)
      this.cache.delete(id)
      this.removing.set(id, batch.id)
    }
    batch.ops.push(() => {
      for (const { id, key, message } of keys) {
        void this.messages.remove(key)
        void this.ids.remove(id)
        if (message) this.dropUses(message, touched)
      }
      void this.root.put(purgedKey, true)
    })
    batch.after.push(() => {
      for (const { id } of keys) if (this.removing.get(id) === batch.id) this.removing.delete(id)
      this.reportUnused(touched)
    })
  }

  /** In a removal's transaction: the message's uses of files go, and the files are noted to look at once committed. */
  private dropUses(message: Message, touched: Set<string>): void {
    for (const ref of message.attachments ?? []) {
      void this.uses.remove([ref.id, message.id])
      touched.add(ref.id)
    }
  }

  /** After a removal is committed: the files it touched that no message uses any more. */
  private reportUnused(touched: ReadonlySet<string>): void {
    const unused = [...touched].filter((id) => !this.usesAttachment(id))
    if (unused.length > 0 && !this.closed) this.attachmentsUnused(unused)
  }

  /**
   * Whether any message in the log uses this file: one range read of the ref index, plus the writes not yet
   * committed (issue 14: a delete or the start's sweep never scans the chats).
   */
  usesAttachment(id: string): boolean {
    for (const { key } of this.uses.getRange({ start: [id], end: [id, afterEveryId] })) {
      const messageId = key[1]
      if (!this.removing.has(messageId)) {
        const place = this.ids.get(messageId)
        const parsed = messageKeySchema.safeParse(place)
        if (!parsed.success || !this.purging.has(parsed.data[0])) return true
      }
    }
    const uses = (message: Message | undefined): boolean => message?.attachments?.some((ref) => ref.id === id) ?? false
    for (const entry of this.unsettled.values()) if (uses(entry.stored?.message)) return true
    for (const open of this.open.values()) if (uses(open.stored.message)) return true
    return false
  }

  /** This tick's batch: made on the first write of the tick, issued once the tick's work is done. */
  private queue(): Batch {
    if (this.batch) return this.batch
    const batch: Batch = { id: ++this.batchIds, ops: [], after: [], lastSeq: this.applied, appliedSeq: 0, compacts: false }
    this.batch = batch
    setImmediate(() => {
      if (this.batch === batch) this.flush()
    })
    return batch
  }

  /**
   * Issues this tick's batch as one transaction, after the batches before it and once the journal has made its events'
   * records durable. Its writes are read from memory until it is committed.
   */
  flush(): void {
    const batch = this.batch
    if (!batch) return
    this.batch = undefined
    const gate = this.gate(batch.lastSeq)
    let commit: Promise<unknown> = Promise.resolve()
    const issued = this.issued
      .then(() => gate)
      .then(() => {
        commit = this.root.transaction(() => {
          for (const op of batch.ops) op()
          if (batch.appliedSeq > 0) void this.root.put('appliedSeq', Math.max(batch.appliedSeq, this.appliedSeqStored()))
        })
      })
    const committed = issued.then(() => commit)
    // A batch that removed messages is followed by a compaction; later batches wait for it.
    const done = batch.compacts ? committed.then(() => this.compact()) : committed
    this.issued = (batch.compacts ? done : issued).catch(() => undefined)
    this.track(
      done.finally(() => {
        for (const after of batch.after) after()
      })
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
    for (const [id, entry] of this.unsettled) if (entry.stored) pending.set(id, { key: entry.key, ...entry.stored })
    for (const [id, open] of this.open) pending.set(id, { key: open.key, ...open.stored })
    const root = this.root
    this.viewsOpen.set(root, (this.viewsOpen.get(root) ?? 0) + 1)
    return new LogView({
      release: () => {
        const left = (this.viewsOpen.get(root) ?? 1) - 1
        this.viewsOpen.set(root, left)
        if (left === 0 && this.retired.delete(root)) this.retire(root)
      },
      seq: this.applied,
      transaction: root.useReadTransaction(),
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
