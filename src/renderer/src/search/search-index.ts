import { textsOf } from '../../../shared'
import { searchIndexedSeqKey, searchIndexKey, type MessageRow, type ParleyDatabase, type SearchEntryKey, type SearchEntryRow } from '../db/schema'
import { indexedWordsOf } from './words'

/**
 * Keeping the search index (Dexie's `searchEntries`, a multi-entry `words` index) in step with the messages. The
 * commit writes only the rows; an idle pass after it (`catchUpSearchIndex`) indexes the rows above a watermark kept in
 * meta, a chunk per transaction, so indexing costs a few large transactions instead of entries in every small commit,
 * and nothing is lost across a reload. Deletions leave the index in the deletion's own transaction.
 */

/** Bump when `indexedWordsOf` changes what it makes of a text: the index is then built again from the rows. */
export const wordsVersion = 2

/** The index entry of a message, or nothing while it streams (only finished text is indexed) or has no words. */
export function entryOf(row: Pick<MessageRow, 'id' | 'sessionId' | 'createdAt' | 'status' | 'parts'>): SearchEntryRow | undefined {
  if (row.status === 'streaming') return undefined
  const words = indexedWordsOf(textsOf(row).text)
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

/** A deleted chat's messages leave the index (in the deletion's transaction). */
export async function unindexSession(db: ParleyDatabase, sessionId: string): Promise<void> {
  await db.searchEntries.where('sessionId').equals(sessionId).delete()
}

/** Deleted messages leave the index (in the deletion's transaction). */
export async function unindexMessages(db: ParleyDatabase, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length > 0) await db.searchEntries.where('messageId').anyOf([...messageIds]).delete()
}

/** The seq through which every finished message is indexed; 0 when the index is missing or has older words. */
async function indexedSeq(db: ParleyDatabase): Promise<number> {
  const [version, seq] = await Promise.all([db.meta.get(searchIndexKey), db.meta.get(searchIndexedSeqKey)])
  return version?.value === wordsVersion ? (seq?.value ?? 0) : 0
}

/** Whether every message in Dexie is in the index, with today's words. */
export async function searchIndexReady(db: ParleyDatabase): Promise<boolean> {
  return db.transaction('r', [db.meta, db.messages], async () => {
    const seq = await indexedSeq(db)
    return (await db.messages.where('seq').above(seq).count()) === 0
  })
}

/**
 * Forgets the index: every message is indexed again by the next passes (a history rebuild, which empties the rows
 * and the entries together, calls this in its transaction).
 */
export async function resetSearchIndex(db: ParleyDatabase): Promise<void> {
  await db.meta.bulkPut([
    { key: searchIndexKey, value: wordsVersion },
    { key: searchIndexedSeqKey, value: 0 }
  ])
}

export interface IndexProgress {
  done: number
  total: number
}

/**
 * One pass of the indexer: the next `chunk` message rows above the watermark, in seq order, indexed (the finished
 * ones; a streaming one is indexed when it finishes, since finishing raises its seq), and the watermark raised to
 * the last, in one transaction. A row rewritten meanwhile gets a higher seq and comes again. Answers how many rows it
 * read: fewer than `chunk` means the index has caught up.
 */
export async function indexNextMessages(db: ParleyDatabase, chunk = 500): Promise<number> {
  return db.transaction('rw', [db.messages, db.searchEntries, db.meta], async () => {
    const version = await db.meta.get(searchIndexKey)
    if (version?.value !== wordsVersion) {
      // Older words (or none): start again from the first row; entries written before are replaced as it goes.
      await resetSearchIndex(db)
    }
    const from = await indexedSeq(db)
    const rows = await db.messages.where('seq').above(from).limit(chunk).toArray()
    const last = rows.at(-1)
    if (!last) return 0
    await Promise.all([indexMessages(db, rows), db.meta.put({ key: searchIndexedSeqKey, value: last.seq })])
    return rows.length
  })
}

export interface CatchUpOptions {
  onProgress?: (progress: IndexProgress) => void
  /** Message rows read and indexed per transaction. */
  chunk?: number
  /** Asked between passes; stops when it answers false (the window closed). */
  going?: () => boolean
}

/**
 * Indexes every message above the watermark, a chunk per transaction, with progress: after the upgrade, after a
 * history rebuild, and after each burst of commits. Answers how many rows it read.
 */
export async function catchUpSearchIndex(db: ParleyDatabase, options: CatchUpOptions = {}): Promise<number> {
  const chunk = options.chunk ?? 500
  const total = await db.transaction('r', [db.meta, db.messages], async () => db.messages.where('seq').above(await indexedSeq(db)).count())
  let done = 0
  if (total > 0) options.onProgress?.({ done, total })
  for (;;) {
    if (options.going && !options.going()) return done
    const read = await indexNextMessages(db, chunk)
    done += read
    if (read > 0) options.onProgress?.({ done, total: Math.max(total, done) })
    if (read < chunk) return done
  }
}
