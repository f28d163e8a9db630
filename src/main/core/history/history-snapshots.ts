import { randomUUID } from 'node:crypto'
import {
  historyPageLimits,
  messageText,
  ParleyError,
  type ChatListItem,
  type HistoryPage,
  type ParleyEvent,
  type Session,
  type SnapshotCursor,
  type SnapshotMessage,
  type SnapshotSession
} from '../../../shared'
import type { LogView, SessionActivity } from './log-view'

export interface HistorySnapshotsOptions {
  /** Main's session log: a view of it held still, and a promise for its writes issued so far. */
  log: { view(): LogView; written(): Promise<void> }
  /** The chats main knows, as they are now (the session directory). */
  sessions: () => readonly Session[]
  /** How long a snapshot is kept with no page asked of it. */
  idleMs?: number
  /** How many snapshots may be open at once; a new one lets the oldest go. */
  maxOpen?: number
  limits?: { rows: number; textChars: number }
  newId?: () => string
}

interface Snapshot {
  view: LogView
  /** The chats' rows as the view has them, the newest activity first (`byActivity`). */
  sessions: readonly SnapshotSession[]
  /** Messages deleted before the view was made whose removal from the store may not have been committed then. */
  removed: ReadonlySet<string>
  totals: HistoryPage['totals']
  timer: ReturnType<typeof setTimeout> | undefined
}

/**
 * Main's whole history in pages, for a window that lost its IndexedDB (issue 9 item 3). The first page makes a
 * snapshot: a view of the session log held still at one seq (`SessionLog.view`), with the chat list as it was then.
 * Every later page of it reads that same view, so all of them together are exactly the history through that seq,
 * however much main writes meanwhile. A snapshot is let go after its last page, or when left unread.
 *
 * The first pages hold what people look at first, so a window can show itself while the rest is copied: the chats in
 * the order of their last activity, the newest first (as `chats()` lists them), and each chat's messages newest first.
 */
export class HistorySnapshots {
  private readonly open = new Map<string, Snapshot>()
  /** Messages deleted (`messages.deleted`) whose removal may not be committed yet: a view must not show them. */
  private readonly removing = new Set<string>()
  private readonly idleMs: number
  private readonly maxOpen: number
  private readonly limits: { rows: number; textChars: number }
  private readonly newId: () => string

  constructor(private readonly options: HistorySnapshotsOptions) {
    this.idleMs = options.idleMs ?? 60_000
    this.maxOpen = options.maxOpen ?? 4
    this.limits = options.limits ?? historyPageLimits
    this.newId = options.newId ?? randomUUID
  }

  /** Hears the events the log takes in (subscribe it beside the log): deleted messages, until their removal is committed. */
  take(event: ParleyEvent): void {
    if (event.type !== 'messages.deleted') return
    for (const id of event.messageIds) this.removing.add(id)
    // A microtask later the log has issued the removal (it hears each event in the same delivery); once that is
    // committed, the store itself no longer has them.
    queueMicrotask(() => {
      void this.options.log.written().then(() => {
        for (const id of event.messageIds) this.removing.delete(id)
      })
    })
  }

  /**
   * One page: `null` starts a snapshot (of the one chat `only` names, when given: none if there is no such chat); a
   * cursor continues the one it names.
   */
  page(cursor: SnapshotCursor | null, only?: string): HistoryPage {
    const snapshotId = cursor?.snapshotId ?? this.capture(only)
    const snapshot = this.open.get(snapshotId)
    if (!snapshot) {
      throw new ParleyError('SnapshotExpired', 'That history snapshot was let go (unread for too long, or main restarted): start again.')
    }
    this.keep(snapshotId, snapshot)
    const sessions: SnapshotSession[] = []
    const messages: SnapshotMessage[] = []
    const { rows: maxRows, textChars } = this.limits
    let index = cursor?.session ?? 0
    let beforeSeq = cursor?.beforeSeq ?? 0
    let chars = 0
    let cut = false
    while (index < snapshot.sessions.length && !cut) {
      const session = snapshot.sessions[index] as SnapshotSession
      if (beforeSeq === 0) {
        // A chat starts a page only with room for one of its messages too, so it is never sent twice.
        if (sessions.length + messages.length + 2 > maxRows) break
        sessions.push(session)
      }
      let taken = 0
      // Newest first: a page cut in a long chat has its latest words, and the next page goes on with older ones.
      for (const logged of snapshot.view.messagesBefore(session.id, beforeSeq)) {
        if (snapshot.removed.has(logged.message.id)) continue
        const size = messageText(logged.message).length
        if (sessions.length + messages.length >= maxRows || (taken > 0 && chars + size > textChars)) {
          cut = true
          break
        }
        messages.push({ message: logged.message, createdSeq: logged.key[1] })
        chars += size
        taken += 1
        beforeSeq = logged.key[1]
      }
      if (!cut) {
        index += 1
        beforeSeq = 0
      }
    }
    const done = index >= snapshot.sessions.length
    if (done) this.release(snapshotId)
    return {
      seq: snapshot.view.seq,
      sessions,
      messages,
      totals: snapshot.totals,
      next: done ? null : { snapshotId, session: index, beforeSeq }
    }
  }

  /**
   * The chats as a snapshot's first page would show them (the same rows: leaf, and last activity from the newest
   * message; of the chat's own options only its model), without their messages, the newest activity first (ties in the chat list's order), at most `limit`. One
   * view of the log, read only for each chat's leaf and newest message, and let go before answering.
   */
  chats(limit = Number.POSITIVE_INFINITY): ChatListItem[] {
    const view = this.options.log.view()
    try {
      const sessions = this.options.sessions()
      return this.byActivity(view, sessions, view.activity(sessions.map((session) => session.id)))
        .slice(0, limit)
        .map(({ options, ...row }) => (options?.model === undefined ? row : { ...row, model: options.model }))
    } finally {
      view.done()
    }
  }

  /** Lets every snapshot go (main is shutting down; before the log closes). */
  close(): void {
    for (const id of [...this.open.keys()]) this.release(id)
  }

  get openCount(): number {
    return this.open.size
  }

  private capture(only?: string): string {
    while (this.open.size >= this.maxOpen) {
      const oldest = this.open.keys().next().value
      if (oldest === undefined) break
      this.release(oldest)
    }
    const view = this.options.log.view()
    const chosen = this.options.sessions().filter((session) => only === undefined || session.id === only)
    const activity = view.activity(chosen.map((session) => session.id))
    const sessions = this.byActivity(view, chosen, activity)
    const removed = new Set(this.removing)
    let messages = 0
    for (const { count } of activity.values()) messages += count
    const id = this.newId()
    this.open.set(id, { view, sessions, removed, totals: { sessions: sessions.length, messages }, timer: undefined })
    return id
  }

  /**
   * The chats' rows, the newest activity first: the one order of a snapshot's pages and of `chats()`. A stable sort:
   * chats active at the same moment stay in the chat list's order, as `parley chats` listed them.
   */
  private byActivity(view: LogView, sessions: readonly Session[], activity: ReadonlyMap<string, SessionActivity>): SnapshotSession[] {
    return sessions.map((session) => this.sessionRow(view, session, activity.get(session.id))).sort((a, b) => b.updatedAt - a.updatedAt)
  }

  private sessionRow(view: LogView, session: Session, activity: SessionActivity | undefined): SnapshotSession {
    // The window's row moves with each message's activity; the log keeps no event times, so a message's creation
    // stands in for its last one.
    const lastCreatedAt = activity?.lastCreatedAt
    const updatedAt = lastCreatedAt === undefined ? session.updatedAt : Math.max(session.updatedAt, lastCreatedAt)
    return { ...session, updatedAt, leafId: view.leaf(session.id) }
  }

  private keep(id: string, snapshot: Snapshot): void {
    clearTimeout(snapshot.timer)
    snapshot.timer = setTimeout(() => this.release(id), this.idleMs)
    snapshot.timer.unref?.()
  }

  private release(id: string): void {
    const snapshot = this.open.get(id)
    if (!snapshot) return
    clearTimeout(snapshot.timer)
    this.open.delete(id)
    snapshot.view.done()
  }
}
