import Dexie from 'dexie'
import type { ParleyEvent } from '../../../shared'
import { partsOf } from './message-parts'
import type { ParleyDatabase } from './schema'
import type { StreamingText } from './streaming-store'

/** A streaming message's text through `seq`, as the applier holds it between checkpoints. */
export interface Checkpoint extends StreamingText {
  messageId: string
  seq: number
}

/**
 * Writes one history event into the rows. Runs inside the applier's transaction. Each write is guarded by the row's
 * `seq` watermark, so applying an event a second time changes nothing (rule F3). Events that don't touch history,
 * and deltas (which reach Dexie only through checkpoints), write nothing here.
 */
export async function writeEvent(db: ParleyDatabase, event: ParleyEvent): Promise<void> {
  switch (event.type) {
    case 'session.created': {
      const row = await db.sessions.get(event.session.id)
      if (row && row.seq >= event.seq) return
      await db.sessions.put({ ...event.session, seq: event.seq })
      return
    }
    case 'session.updated': {
      const row = await db.sessions.get(event.sessionId)
      if (!row || row.seq >= event.seq) return
      await db.sessions.put({
        ...row,
        // `title` left out means "unchanged"; null clears it.
        title: event.title === undefined ? row.title : event.title,
        updatedAt: Math.max(row.updatedAt, event.updatedAt),
        seq: event.seq
      })
      return
    }
    case 'session.titled': {
      const row = await db.sessions.get(event.sessionId)
      if (!row || row.seq >= event.seq) return
      // E3: where the title came from (absent on events from before it existed) tells whether it may be replaced.
      await db.sessions.put({ ...row, title: event.title, ...(event.source ? { titleSource: event.source } : {}), seq: event.seq })
      return
    }
    case 'session.branch': {
      const row = await db.sessions.get(event.sessionId)
      if (!row || (row.leafSeq ?? 0) >= event.seq) return
      await db.sessions.update(row.id, { leafId: event.leafId, leafSeq: event.seq })
      return
    }
    case 'session.deleted':
      await db.sessions.delete(event.sessionId)
      await sessionMessages(db, event.sessionId).delete()
      return
    case 'message.created':
    case 'message.finished': {
      const { message } = event
      // A message for a session that isn't here (deleted, or never known) would be an orphan nobody can see.
      const session = await db.sessions.get(message.sessionId)
      if (!session) return
      const row = await db.messages.get(message.id)
      if (row && row.seq >= event.seq) return
      await db.messages.put({ ...message, seq: event.seq, createdSeq: row?.createdSeq ?? event.seq })
      // The sidebar sorts by last activity, and a message is activity. A new message is the session's leaf (H3).
      const activity = event.at > session.updatedAt ? { updatedAt: event.at } : {}
      const leaf = event.type === 'message.created' && (session.leafSeq ?? 0) < event.seq ? { leafId: message.id, leafSeq: event.seq } : {}
      if ('updatedAt' in activity || 'leafId' in leaf) await db.sessions.update(session.id, { ...activity, ...leaf })
      return
    }
    default:
      return
  }
}

/** Writes the text a streaming message has so far, unless its row already holds this much or has finished. */
export async function writeCheckpoint(db: ParleyDatabase, checkpoint: Checkpoint): Promise<boolean> {
  const row = await db.messages.get(checkpoint.messageId)
  if (!row || row.status !== 'streaming' || row.seq >= checkpoint.seq) return false
  await db.messages.put({ ...row, parts: partsOf(checkpoint), seq: checkpoint.seq })
  return true
}

/** One session's messages, through the `[sessionId+createdAt]` index. */
export function sessionMessages(db: ParleyDatabase, sessionId: string) {
  return db.messages
    .where('[sessionId+createdAt]')
    .between([sessionId, Dexie.minKey], [sessionId, Dexie.maxKey], true, true)
}
