import type { Database, Transaction } from 'lmdb'
import type { Message } from '../../../shared'

/** A message as the log keeps it, and where: its session and the seq of its `message.created`. */
export interface LoggedMessage {
  key: [sessionId: string, createdSeq: number]
  message: Message
  parentId: string | null
}

export interface LogViewParts {
  /** The seq of the last event the log had taken in when the view was made. */
  seq: number
  /** lmdb's committed state at that moment, held still until `done()`. */
  transaction: Transaction
  messages: Database<unknown, [string, number]>
  heads: Database<unknown, string>
  /** Messages whose newest state was not committed yet (writes in flight, streamed text): they win over the store. */
  pending: readonly LoggedMessage[]
  /** The leaves the log had set in memory (a leaf's write may not be committed yet). */
  leaves: ReadonlyMap<string, string | null>
  parse(value: unknown): { message: Message; parentId: string | null } | undefined
  parseLeaf(value: unknown): string | null
  /** Told once the view is done (the log may be waiting to close a store it replaced). */
  release?: () => void
}

/** A session's messages as a view holds them: how many, and when the newest was created. */
export interface SessionActivity {
  count: number
  lastCreatedAt: number | undefined
}

/**
 * Whether one pass over every stored message's key costs less than two range reads per session: a key read costs
 * about a tenth of a range's cursor (measured: 100,000 keys in ~60 ms, 50,000 sessions' ranges in ~500 ms).
 */
export function scanIsCheaper(storedMessages: number, sessions: number): boolean {
  return storedMessages <= 10 * sessions
}

/** Above every createdSeq. */
const afterEverySeq = Number.POSITIVE_INFINITY

/**
 * The session log as it stood after one seq, held still for a paged read (`history-snapshot.ts`): lmdb's committed
 * state in a read transaction, with what was not committed yet laid over it. Later writes to the log never show in
 * it. Read-only; `done()` lets the read transaction go.
 */
export class LogView {
  readonly seq: number
  private readonly pendingBySession = new Map<string, LoggedMessage[]>()
  private released = false

  constructor(private readonly parts: LogViewParts) {
    this.seq = parts.seq
    for (const pending of parts.pending) {
      const list = this.pendingBySession.get(pending.key[0]) ?? []
      list.push(pending)
      this.pendingBySession.set(pending.key[0], list)
    }
    for (const list of this.pendingBySession.values()) list.sort((a, b) => a.key[1] - b.key[1])
  }

  /** The session's current leaf. */
  leaf(sessionId: string): string | null {
    const known = this.parts.leaves.get(sessionId)
    if (known !== undefined) return known
    return this.parts.parseLeaf(this.parts.heads.get(sessionId, { transaction: this.parts.transaction }))
  }

  /**
   * The session's messages created before `beforeSeq` (0: all of them), newest first: a window rebuilding its copy
   * gets each chat's latest words in its first pages. A merge of the store's range, read backwards, and the pending
   * messages, both in descending createdSeq order; a pending message wins over the store's copy of it.
   */
  *messagesBefore(sessionId: string, beforeSeq: number): Generator<LoggedMessage> {
    const below = beforeSeq === 0 ? afterEverySeq : beforeSeq
    const pending = (this.pendingBySession.get(sessionId) ?? []).filter((m) => m.key[1] < below).reverse()
    let next = 0
    const range = this.parts.messages.getRange({
      start: [sessionId, below],
      end: [sessionId],
      reverse: true,
      exclusiveStart: true,
      transaction: this.parts.transaction
    })
    for (const { key, value } of range) {
      for (; next < pending.length && (pending[next] as LoggedMessage).key[1] > key[1]; next++) yield pending[next] as LoggedMessage
      const same = pending[next]
      if (same && same.key[1] === key[1]) {
        next += 1
        yield same
        continue
      }
      const stored = this.parts.parse(value)
      if (stored) yield { key: [sessionId, key[1]], ...stored }
    }
    for (; next < pending.length; next++) yield pending[next] as LoggedMessage
  }

  /**
   * Each session's message count (pending ones not yet in the store included) and its newest message's creation time
   * (a session with no messages has none): what a snapshot orders its chats by and counts. Read the cheaper way: one
   * pass over the store's keys when it holds few messages a session (each session's own two range reads cost a cursor
   * each, ~10 µs: 50,000 chats took 0.5–0.9 s), else a count and a last entry per session.
   */
  activity(sessionIds: readonly string[]): Map<string, SessionActivity> {
    const { transaction, messages } = this.parts
    const entries = messages.getStats() as { entryCount?: unknown }
    const stored = typeof entries.entryCount === 'number' && scanIsCheaper(entries.entryCount, sessionIds.length) ? this.scanned(sessionIds) : undefined
    const found = new Map<string, SessionActivity>()
    for (const sessionId of sessionIds) {
      const own = stored ? stored.get(sessionId) : this.ownReads(sessionId)
      let count = own?.count ?? 0
      let lastCreatedAt = own?.lastCreatedAt
      for (const pending of this.pendingBySession.get(sessionId) ?? []) {
        if (messages.get(pending.key, { transaction }) === undefined) count += 1
        lastCreatedAt = Math.max(lastCreatedAt ?? 0, pending.message.createdAt)
      }
      found.set(sessionId, { count, lastCreatedAt })
    }
    return found
  }

  /** The stored part of `activity` for one session: its own count and last entry. */
  private ownReads(sessionId: string): SessionActivity {
    const { transaction, messages } = this.parts
    const count = messages.getCount({ start: [sessionId], end: [sessionId, afterEverySeq], transaction })
    let lastCreatedAt: number | undefined
    for (const { value } of messages.getRange({ start: [sessionId, afterEverySeq], end: [sessionId], reverse: true, limit: 1, transaction })) {
      lastCreatedAt = this.parts.parse(value)?.message.createdAt
    }
    return { count, lastCreatedAt }
  }

  /** The stored part of `activity` for every session asked, from one pass over the store's keys. */
  private scanned(sessionIds: readonly string[]): Map<string, SessionActivity> {
    const { transaction, messages } = this.parts
    const wanted = new Set(sessionIds)
    const last = new Map<string, { key: [string, number]; count: number }>()
    for (const key of messages.getKeys({ transaction })) {
      if (!Array.isArray(key) || !wanted.has(key[0])) continue
      const seen = last.get(key[0])
      if (seen) {
        seen.key = key
        seen.count += 1
      } else last.set(key[0], { key, count: 1 })
    }
    const found = new Map<string, SessionActivity>()
    for (const [sessionId, { key, count }] of last) found.set(sessionId, { count, lastCreatedAt: this.parts.parse(messages.get(key, { transaction }))?.message.createdAt })
    return found
  }

  /** Lets the read transaction go; the view can't be read after. */
  done(): void {
    if (this.released) return
    this.released = true
    this.parts.transaction.done()
    this.parts.release?.()
  }
}
