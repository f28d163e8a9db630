import Dexie from 'dexie'
import { useLiveQuery } from 'dexie-react-hooks'
import type { ParleyDatabase, SessionRow } from './schema'

/** The sidebar: most recent activity first. */
export function recentSessions(db: ParleyDatabase): Promise<SessionRow[]> {
  return db.sessions.orderBy('updatedAt').reverse().toArray()
}

/** How many messages a session has, counted on the `[sessionId+createdAt]` index. */
export function messageCount(db: ParleyDatabase, sessionId: string): Promise<number> {
  return db.messages.where('[sessionId+createdAt]').between([sessionId, Dexie.minKey], [sessionId, Dexie.maxKey]).count()
}

export function useSessions(db: ParleyDatabase): SessionRow[] | undefined {
  return useLiveQuery(() => recentSessions(db), [db])
}
