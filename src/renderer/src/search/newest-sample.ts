import type { ParleyDatabase } from '../db/schema'
import { chunkReads } from './chunk-cache'
import { readNewestChunks, type NewestSample } from './search-messages'

/**
 * Reads what every search reads first (the newest chunks of the index), with the rows of their messages and the titles
 * of their chats, so that `searchNewest` can answer a typed key at once. Read when the search dialog opens, and again
 * (a Dexie live query) whenever the index moves or one of those rows changes: a few hundred rows, one transaction.
 */
export function readNewestSample(db: ParleyDatabase): Promise<NewestSample> {
  return db.transaction('r', [db.meta, db.searchChunks, db.messages, db.sessions], async () => {
    const { newestId, chunks } = await readNewestChunks(await chunkReads(db))
    const ids = [...chunks.values()].flatMap((chunk) => chunk?.messageIds ?? [])
    const rows = new Map((await db.messages.bulkGet(ids)).flatMap((row) => (row ? [[row.id, row] as const] : [])))
    const chats = [...new Set([...rows.values()].map((row) => row.sessionId))]
    const titles = new Map((await db.sessions.bulkGet(chats)).flatMap((session) => (session ? [[session.id, session.title] as const] : [])))
    return { newestId, chunks, rows, titles }
  })
}
