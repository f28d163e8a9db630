import { afterOpen } from '../sessions/unseen'
import type { ParleyDatabase } from './schema'

/** The person opened the chat, or came back to the window with it open: its mark goes. */
export async function markSeen(db: ParleyDatabase, sessionId: string): Promise<void> {
  await db.transaction('rw', db.sessions, async () => {
    const row = await db.sessions.get(sessionId)
    const change = row ? afterOpen(row) : undefined
    if (change) await db.sessions.update(sessionId, change)
  })
}
