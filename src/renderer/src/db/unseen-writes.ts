import type { ParleyEvent } from '../../../shared'
import { afterFinish, afterOpen, finishedAnswer } from '../sessions/unseen'
import type { ParleyDatabase } from './schema'

/** Whether the person is looking at a chat right now: it is open, and the window is shown and focused. */
export type Watching = (sessionId: string) => boolean

/**
 * Marks the chat of a finished answer unseen, or seen through it when it finished in view. Runs inside the applier's
 * transaction, after `writeEvent`, so the mark is committed with the answer itself.
 */
export async function writeUnseenMark(db: ParleyDatabase, event: ParleyEvent, watching: Watching): Promise<void> {
  const answer = finishedAnswer(event)
  if (!answer) return
  const row = await db.sessions.get(answer.sessionId)
  if (!row) return
  const change = afterFinish(row, answer.seq, watching(answer.sessionId))
  if (change) await db.sessions.update(row.id, change)
}

/** The person opened the chat, or came back to the window with it open: its mark goes. */
export async function markSeen(db: ParleyDatabase, sessionId: string): Promise<void> {
  await db.transaction('rw', db.sessions, async () => {
    const row = await db.sessions.get(sessionId)
    const change = row ? afterOpen(row) : undefined
    if (change) await db.sessions.update(sessionId, change)
  })
}
