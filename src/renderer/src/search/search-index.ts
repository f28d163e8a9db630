import { textsOf } from '../../../shared'
import { searchIndexKey, type MessageRow, type ParleyDatabase, type SearchEntryKey, type SearchEntryRow } from '../db/schema'
import { wordsOf } from './words'

/**
 * Keeping the search index (Dexie's `searchEntries`, a multi-entry `words` index) in step with the messages. Every
 * function here writes through `db` and expects to run inside the caller's transaction, which must include
 * `searchEntries`: a message and its words are committed together, or not at all.
 */

/** Bump when `wordsOf` changes what it makes of a text: the index is then built again from the rows. */
export const wordsVersion = 1

/** The index entry of a message, or nothing while it streams (only finished text is indexed) or has no words. */
export function entryOf(row: Pick<MessageRow, 'id' | 'sessionId' | 'createdAt' | 'status' | 'parts'>): SearchEntryRow | undefined {
  if (row.status === 'streaming') return undefined
  const words = wordsOf(textsOf(row).text)
  if (words.length === 0) return undefined
  return { createdAt: row.createdAt, sessionId: row.sessionId, messageId: row.id, words }
}

export function entryKey(entry: Pick<SearchEntryRow, 'createdAt' | 'sessionId' | 'messageId'>): SearchEntryKey {
  return [entry.createdAt, entry.sessionId, entry.messageId]
}

/** Indexes the finished ones of these rows (written or rewritten). */
export async function indexMessages(db: ParleyDatabase, rows: readonly MessageRow[]): Promise<void> {
  const entries = rows.flatMap((row) => entryOf(row) ?? [])
  if (entries.length > 0) await db.searchEntries.bulkPut(entries)
}

/** A deleted chat's messages leave the index. */
export async function unindexSession(db: ParleyDatabase, sessionId: string): Promise<void> {
  await db.searchEntries.where('sessionId').equals(sessionId).delete()
}

/** Deleted messages leave the index. */
export async function unindexMessages(db: ParleyDatabase, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length > 0) await db.searchEntries.where('messageId').anyOf([...messageIds]).delete()
}

/** Whether every message in Dexie is in the index, with today's words. */
export async function searchIndexReady(db: ParleyDatabase): Promise<boolean> {
  return (await db.meta.get(searchIndexKey))?.value === wordsVersion
}

/** Marks the index complete: used by the rebuild, and by a history rebuild that indexes each page it writes. */
export async function markSearchIndexReady(db: ParleyDatabase): Promise<void> {
  await db.meta.put({ key: searchIndexKey, value: wordsVersion })
}

export interface IndexProgress {
  done: number
  total: number
}

export interface IndexRebuildOptions {
  onProgress?: (progress: IndexProgress) => void
  /** Messages read and indexed per transaction. */
  chunk?: number
}

/**
 * Builds the index from the messages in Dexie when it is missing (after the upgrade to schema version 2, or when the
 * words changed), a chunk of rows per transaction. Each chunk reads its rows and writes their entries atomically, so
 * the applier's writes in between (it indexes what it writes, and removes what it deletes) are never undone. Answers
 * whether it had to build.
 */
export async function rebuildSearchIndex(db: ParleyDatabase, options: IndexRebuildOptions = {}): Promise<boolean> {
  if (await searchIndexReady(db)) return false
  const chunk = options.chunk ?? 2000
  const total = await db.messages.count()
  let done = 0
  let after: string | undefined
  options.onProgress?.({ done, total })
  for (;;) {
    const from = after
    const rows = await db.transaction('rw', [db.messages, db.searchEntries], async () => {
      const page = await (from === undefined ? db.messages.orderBy(':id') : db.messages.where(':id').above(from)).limit(chunk).toArray()
      await indexMessages(db, page)
      return page
    })
    done += rows.length
    after = rows.at(-1)?.id
    options.onProgress?.({ done, total: Math.max(total, done) })
    if (rows.length < chunk) break
  }
  await db.transaction('rw', [db.meta], () => markSearchIndexReady(db))
  return true
}
