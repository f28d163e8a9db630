import Dexie from 'dexie'
import { useLiveQuery } from 'dexie-react-hooks'
import { inConversationOrder } from './history'
import type { MessageRow, ParleyDatabase, SessionRow } from './schema'

/** The sidebar: most recent activity first. */
export function recentSessions(db: ParleyDatabase): Promise<SessionRow[]> {
  return db.sessions.orderBy('updatedAt').reverse().toArray()
}

/** Messages of one session created before `before` (or all of them), on the `[sessionId+createdAt]` index. */
function earlier(db: ParleyDatabase, sessionId: string, before: number | undefined) {
  return db.messages
    .where('[sessionId+createdAt]')
    .between([sessionId, Dexie.minKey], before === undefined ? [sessionId, Dexie.maxKey] : [sessionId, before], true, before === undefined)
}

/**
 * Where a page of `size` messages ending before `before` starts: the createdAt of its oldest message, or -Infinity
 * when fewer than `size` are left (the page reaches the start of the conversation). Pass no `before` for the last
 * page. Reads at most `size` index entries.
 */
export async function pageStart(
  db: ParleyDatabase,
  sessionId: string,
  before: number | undefined,
  size: number
): Promise<number> {
  const oldest = await earlier(db, sessionId, before).reverse().offset(size - 1).first()
  return oldest ? oldest.createdAt : Number.NEGATIVE_INFINITY
}

export interface MessagePage {
  /** Oldest first, every branch's (the view keeps the current branch: `chat/branch.ts`). */
  messages: MessageRow[]
  /** Whether the session has messages before the first of these. */
  hasOlder: boolean
  /** Where these start: `from`, or earlier to reach the session's leaf (a branch switched to an old message). */
  start: number
  /** The session's current leaf (H3), if it has one. */
  leafId: string | undefined
}

/**
 * A session's messages from `from` on, or from its leaf if that is older. The list view holds its start fixed and
 * moves it back a page at a time (scrolling up), so new messages only ever append: the list never slides under the
 * reader.
 */
export async function messagesFrom(db: ParleyDatabase, sessionId: string, from: number): Promise<MessagePage> {
  const leafId = (await db.sessions.get(sessionId))?.leafId
  const leaf = leafId === undefined ? undefined : await db.messages.get(leafId)
  const start = leaf ? Math.min(from, leaf.createdAt) : from
  const [rows, older] = await Promise.all([
    db.messages.where('[sessionId+createdAt]').between([sessionId, start], [sessionId, Dexie.maxKey], true, true).toArray(),
    start === Number.NEGATIVE_INFINITY ? Promise.resolve(undefined) : earlier(db, sessionId, start).first()
  ])
  return { messages: rows.sort(inConversationOrder), hasOlder: older !== undefined, start, leafId }
}

/** How many messages a session has, counted on the `[sessionId+createdAt]` index. */
export function messageCount(db: ParleyDatabase, sessionId: string): Promise<number> {
  return earlier(db, sessionId, undefined).count()
}

export function useSessions(db: ParleyDatabase): SessionRow[] | undefined {
  return useLiveQuery(() => recentSessions(db), [db])
}

/** Live: redraws when the applier commits (a created row, a checkpoint, a finished row). */
export function useMessagesFrom(db: ParleyDatabase, sessionId: string, from: number | undefined): MessagePage | undefined {
  return useLiveQuery(
    () => (from === undefined ? undefined : messagesFrom(db, sessionId, from)),
    [db, sessionId, from]
  )
}
