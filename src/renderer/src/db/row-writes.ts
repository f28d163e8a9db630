import Dexie from 'dexie'
import type { ParleyEvent } from '../../../shared'
import { afterFinish, finishedAnswer } from '../sessions/unseen'
import { partsOf } from './message-parts'
import type { MessageRow, ParleyDatabase, SessionRow } from './schema'
import type { StreamingText } from './streaming-store'

/** A streaming message's text through `seq`, as the applier holds it between checkpoints. */
export interface Checkpoint extends StreamingText {
  messageId: string
  seq: number
}

/** Whether the person is looking at a chat right now: it is open, and the window is shown and focused. */
export type Watching = (sessionId: string) => boolean

/**
 * The rows one commit touches: read with one bulk read per table before anything is applied, changed in memory by
 * `writeEvent`, `writeUnseenMark` and `writeCheckpoint`, and written back with one bulk write per table by `save`.
 * IndexedDB answers each request with a round trip to the browser's storage process; a commit of a hundred events
 * and fifty streaming messages costs a handful of them this way, not several hundred one after the other.
 */
export class RowBatch {
  private readonly sessions = new Map<string, SessionRow>()
  private readonly messages = new Map<string, MessageRow>()
  private readonly changedSessions = new Set<string>()
  private readonly changedMessages = new Set<string>()
  private readonly deletedSessions = new Set<string>()
  private readonly deletedMessages = new Set<string>()

  private constructor() {}

  /** Reads every row the events and checkpoints can touch. Run it inside the commit's transaction. */
  static async read(db: ParleyDatabase, events: readonly ParleyEvent[], checkpointIds: readonly string[] = []): Promise<RowBatch> {
    const sessionIds = new Set<string>()
    const messageIds = new Set<string>(checkpointIds)
    for (const event of events) {
      const touched = rowsOf(event)
      if (touched.sessionId !== undefined) sessionIds.add(touched.sessionId)
      if (touched.messageId !== undefined) messageIds.add(touched.messageId)
    }
    const batch = new RowBatch()
    const sessionKeys = [...sessionIds]
    const messageKeys = [...messageIds]
    const [sessions, messages] = await Promise.all([db.sessions.bulkGet(sessionKeys), db.messages.bulkGet(messageKeys)])
    for (const row of sessions) if (row) batch.sessions.set(row.id, row)
    for (const row of messages) if (row) batch.messages.set(row.id, row)
    return batch
  }

  session(sessionId: string): SessionRow | undefined {
    return this.sessions.get(sessionId)
  }

  message(messageId: string): MessageRow | undefined {
    return this.messages.get(messageId)
  }

  putSession(row: SessionRow): void {
    this.sessions.set(row.id, row)
    this.changedSessions.add(row.id)
  }

  putMessage(row: MessageRow): void {
    this.messages.set(row.id, row)
    this.changedMessages.add(row.id)
  }

  /** The session and every message of it go, the ones this batch holds and the ones it never read. */
  deleteSession(sessionId: string): void {
    this.sessions.delete(sessionId)
    this.changedSessions.delete(sessionId)
    this.deletedSessions.add(sessionId)
    for (const [id, row] of this.messages) {
      if (row.sessionId !== sessionId) continue
      this.messages.delete(id)
      this.changedMessages.delete(id)
    }
  }

  /** These messages go, whether this batch read them or not (`messages.deleted`). */
  deleteMessages(messageIds: readonly string[]): void {
    for (const id of messageIds) {
      this.messages.delete(id)
      this.changedMessages.delete(id)
      this.deletedMessages.add(id)
    }
  }

  /**
   * Writes what changed. The search index is not touched: written messages are indexed by the idle pass after the
   * commit (search/search-index.ts, above its watermark), which keeps the commit as cheap as a write without search,
   * and a deleted one's postings stay behind, found stale by the search's check against the rows. Deletions first,
   * so a deleted session's rows never come back.
   */
  async save(db: ParleyDatabase): Promise<void> {
    for (const sessionId of this.deletedSessions) {
      // A session made again after its deletion, in the same batch, keeps its new row (its old messages still go).
      if (!this.changedSessions.has(sessionId)) await db.sessions.delete(sessionId)
      await sessionMessages(db, sessionId).delete()
    }
    if (this.deletedMessages.size > 0) {
      const deleted = [...this.deletedMessages]
      await db.messages.bulkDelete(deleted)
    }
    const rows = <T>(ids: Set<string>, from: Map<string, T>): T[] =>
      [...ids].flatMap((id) => {
        const row = from.get(id)
        return row ? [row] : []
      })
    const messages = rows(this.changedMessages, this.messages)
    await Promise.all([
      this.changedSessions.size > 0 ? db.sessions.bulkPut(rows(this.changedSessions, this.sessions)) : undefined,
      messages.length > 0 ? db.messages.bulkPut(messages) : undefined
    ])
  }
}

/** The session and message rows an event reads or writes. */
function rowsOf(event: ParleyEvent): { sessionId?: string; messageId?: string } {
  switch (event.type) {
    case 'session.created':
      return { sessionId: event.session.id }
    case 'session.updated':
    case 'session.titled':
    case 'session.deleted':
    case 'session.branch':
    case 'messages.deleted':
      return { sessionId: event.sessionId }
    case 'message.created':
    case 'message.finished':
      return { sessionId: event.message.sessionId, messageId: event.message.id }
    default: {
      const answer = finishedAnswer(event)
      return answer ? { sessionId: answer.sessionId } : {}
    }
  }
}

/**
 * Applies one history event to the batch's rows. Each change is guarded by the row's `seq` watermark (the leaf by
 * `leafSeq`), so applying an event a second time changes nothing (rule F3). Events that don't touch history, and
 * deltas (which reach Dexie only through checkpoints), change nothing here.
 */
export function writeEvent(batch: RowBatch, event: ParleyEvent): void {
  switch (event.type) {
    case 'session.created': {
      const row = batch.session(event.session.id)
      if (row && row.seq >= event.seq) return
      batch.putSession({ ...row, ...event.session, seq: event.seq })
      return
    }
    case 'session.updated': {
      const row = batch.session(event.sessionId)
      if (!row || row.seq >= event.seq) return
      batch.putSession({
        ...row,
        // `title` left out means "unchanged"; null clears it.
        title: event.title === undefined ? row.title : event.title,
        updatedAt: Math.max(row.updatedAt, event.updatedAt),
        // The chat's options come whole (`updateSession`); absent means unchanged.
        options: event.options ?? row.options,
        seq: event.seq
      })
      return
    }
    case 'session.titled': {
      const row = batch.session(event.sessionId)
      if (!row || row.seq >= event.seq) return
      // E3: where the title came from (absent on events from before it existed) tells whether it may be replaced.
      batch.putSession({ ...row, title: event.title, ...(event.source ? { titleSource: event.source } : {}), seq: event.seq })
      return
    }
    case 'session.branch': {
      const row = batch.session(event.sessionId)
      if (!row || (row.leafSeq ?? 0) >= event.seq) return
      batch.putSession({ ...row, leafId: event.leafId, leafSeq: event.seq })
      return
    }
    case 'session.deleted':
      batch.deleteSession(event.sessionId)
      return
    case 'messages.deleted': {
      // Deleting rows twice changes nothing; the leaf is guarded like a switch's.
      batch.deleteMessages(event.messageIds)
      const row = batch.session(event.sessionId)
      if (!row || (row.leafSeq ?? 0) >= event.seq) return
      batch.putSession({ ...row, leafId: event.leafId ?? undefined, leafSeq: event.seq })
      return
    }
    case 'message.created':
    case 'message.finished': {
      const { message } = event
      // A message for a session that isn't here (deleted, or never known) would be an orphan nobody can see.
      const session = batch.session(message.sessionId)
      if (!session) return
      const row = batch.message(message.id)
      if (row && row.seq >= event.seq) return
      batch.putMessage({ ...message, seq: event.seq, createdSeq: row?.createdSeq ?? event.seq })
      // The sidebar sorts by last activity, and a message is activity: a new one at its own time (an imported message's
      // is when it was written, not when it was imported, as main's history snapshot counts it, so a chat rebuilt from
      // main sorts where it did), an answer finishing when it finished. A new message is the session's leaf (H3).
      const activeAt = event.type === 'message.created' ? message.createdAt : event.at
      const activity = activeAt > session.updatedAt ? { updatedAt: activeAt } : {}
      const leaf = event.type === 'message.created' && (session.leafSeq ?? 0) < event.seq ? { leafId: message.id, leafSeq: event.seq } : {}
      if ('updatedAt' in activity || 'leafId' in leaf) batch.putSession({ ...session, ...activity, ...leaf })
      return
    }
    default:
      return
  }
}

/**
 * Marks the chat of a finished answer unseen, or seen through it when it finished in view. Applied after
 * `writeEvent`, in the same batch, so the mark is committed with the answer itself.
 */
export function writeUnseenMark(batch: RowBatch, event: ParleyEvent, watching: Watching): void {
  const answer = finishedAnswer(event)
  if (!answer) return
  const row = batch.session(answer.sessionId)
  if (!row) return
  const change = afterFinish(row, answer.seq, watching(answer.sessionId))
  if (change) batch.putSession({ ...row, ...change })
}

/** Takes the text a streaming message has so far, unless its row already holds this much or has finished. */
export function writeCheckpoint(batch: RowBatch, checkpoint: Checkpoint): boolean {
  const row = batch.message(checkpoint.messageId)
  if (!row || row.status !== 'streaming' || row.seq >= checkpoint.seq) return false
  batch.putMessage({ ...row, parts: partsOf(checkpoint), seq: checkpoint.seq })
  return true
}

/** Writes events and checkpoints in one transaction: read, apply in order, save (tests, and one-off writes). */
export async function writeEvents(
  db: ParleyDatabase,
  events: readonly ParleyEvent[],
  options: { checkpoints?: readonly Checkpoint[]; watching?: Watching } = {}
): Promise<number> {
  const checkpoints = options.checkpoints ?? []
  return db.transaction('rw', [db.sessions, db.messages], async () => {
    const batch = await RowBatch.read(db, events, checkpoints.map((c) => c.messageId))
    for (const event of events) {
      writeEvent(batch, event)
      if (options.watching) writeUnseenMark(batch, event, options.watching)
    }
    let written = 0
    for (const checkpoint of checkpoints) if (writeCheckpoint(batch, checkpoint)) written += 1
    await batch.save(db)
    return written
  })
}

/** One session's messages, through the `[sessionId+createdAt]` index. */
export function sessionMessages(db: ParleyDatabase, sessionId: string) {
  return db.messages
    .where('[sessionId+createdAt]')
    .between([sessionId, Dexie.minKey], [sessionId, Dexie.maxKey], true, true)
}
