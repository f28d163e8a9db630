import { textsOf } from '../../../shared'
import { searchIndexedSeqKey, searchIndexKey, searchIndexResetsKey, type MessageRow, type ParleyDatabase } from '../db/schema'
import { countPastWatermark, readPastWatermark, sameState, watermarkOf, watermarkRow, type IndexState, type IndexWatermark, type WatermarkRow } from './index-watermark'
import { addMessage, decodeChunk, emptyChunk, encodeChunk, isFull, termsOf, type ChunkMessage, type OpenChunk } from './search-chunks'
import { indexedWordsOf } from './words'

/**
 * Keeping the search index (schema version 5: chunks, search/search-chunks.ts) in step with the messages. The commit
 * writes only the rows; an idle pass after it (`catchUpSearchIndex`) appends the rows past a watermark kept in meta
 * to the open chunk, up to 500 rows per transaction, so indexing costs a few large writes instead of entries in every
 * small commit, and nothing is lost across a reload. Deletions leave postings behind: a search checks each hit
 * against its message's current row (search-messages.ts), so a deleted or edited message is never found by words it
 * no longer has.
 */

/** Bump when `indexedWordsOf` changes what it makes of a text: the index is then built again from the rows. */
export const wordsVersion = 4

/** What the index keeps of a message, or nothing while it streams (only finished text is indexed) or has no words. */
export function entryOf(row: Pick<MessageRow, 'id' | 'status' | 'parts'>): ChunkMessage | undefined {
  if (row.status === 'streaming') return undefined
  const words = indexedWordsOf(textsOf(row).text)
  if (words.length === 0) return undefined
  return { messageId: row.id, words }
}

/** The chunk the next messages go to: the last one, unless it is full. */
async function openChunk(db: ParleyDatabase): Promise<OpenChunk> {
  const last = await db.searchChunks.orderBy(':id').last()
  if (!last) return emptyChunk(1)
  const open = decodeChunk(last)
  return isFull(open) ? emptyChunk(last.id + 1) : open
}

/**
 * Appends the finished ones of these rows (written or rewritten) to the open chunk, starting new ones as it fills:
 * each chunk's row, and one row with the terms of the messages added. Few requests: a put each costs a round trip.
 * Only a pass calls it, in the transaction that moves the watermark: searches keep chunk rows while the watermark
 * stays (chunk-cache.ts), and a full chunk is never written again.
 */
async function indexMessages(db: ParleyDatabase, rows: readonly MessageRow[]): Promise<void> {
  const messages = rows.flatMap((row) => entryOf(row) ?? [])
  if (messages.length === 0) return
  let open = await openChunk(db)
  const written: { chunk: OpenChunk; from: number }[] = [{ chunk: open, from: open.messageIds.length }]
  for (const message of messages) {
    if (isFull(open)) {
      open = emptyChunk(open.id + 1)
      written.push({ chunk: open, from: 0 })
    }
    addMessage(open, message)
  }
  await Promise.all([
    db.searchChunks.bulkPut(written.map(({ chunk }) => encodeChunk(chunk))),
    db.searchTerms.add({ terms: written.flatMap(({ chunk, from }) => termsOf(chunk, from)) })
  ])
}

/** Where the index stands (index-watermark.ts); the start when the index is missing or has older words. */
async function indexedThrough(db: ParleyDatabase): Promise<IndexWatermark> {
  const [version, seq] = (await db.meta.bulkGet([searchIndexKey, searchIndexedSeqKey])) as (WatermarkRow | undefined)[]
  return watermarkOf({ version: version?.value, seq: seq?.value, id: seq?.id, resets: undefined }, wordsVersion)
}

/** How many message rows are past the index's watermark (all of them, when it was built with older words). */
function unindexedCount(db: ParleyDatabase): Promise<number> {
  return db.transaction('r', [db.meta, db.messages], async () => countPastWatermark(db, await indexedThrough(db)))
}

/** Whether at least `count` message rows are past the index's watermark: at most that many keys read. */
export function unindexedAtLeast(db: ParleyDatabase, count: number): Promise<boolean> {
  return db.transaction('r', [db.meta, db.messages], async () => (await countPastWatermark(db, await indexedThrough(db), count)) >= count)
}

/** Whether every message in Dexie is in the index, with today's words. */
export async function searchIndexReady(db: ParleyDatabase): Promise<boolean> {
  return db.transaction('r', [db.meta, db.messages], async () => (await countPastWatermark(db, await indexedThrough(db), 1)) === 0)
}

/**
 * Forgets the index: its chunks go and every message is indexed again by the next passes (a history rebuild calls
 * this in the transaction that empties the rows). The transaction must include meta and both search tables.
 */
export async function resetSearchIndex(db: ParleyDatabase): Promise<void> {
  const resets = (await db.meta.get(searchIndexResetsKey))?.value ?? 0
  await Promise.all([
    db.searchChunks.clear(),
    db.searchTerms.clear(),
    db.meta.bulkPut([
      { key: searchIndexKey, value: wordsVersion },
      { key: searchIndexedSeqKey, value: 0 },
      { key: searchIndexResetsKey, value: resets + 1 }
    ])
  ])
}

export interface IndexProgress {
  done: number
  total: number
}

async function indexState(db: ParleyDatabase): Promise<IndexState> {
  const [version, seq, resets] = (await db.meta.bulkGet([searchIndexKey, searchIndexedSeqKey, searchIndexResetsKey])) as (WatermarkRow | undefined)[]
  return { version: version?.value, seq: seq?.value, id: seq?.id, resets: resets?.value }
}

/**
 * One pass of the indexer: the next `chunk` message rows past the watermark, in (seq, id) order, indexed (the finished
 * ones; a streaming one is indexed when it finishes, since finishing raises its seq), and the watermark raised to
 * the last. A row rewritten meanwhile gets a higher seq and comes again. Answers how many rows it read: fewer than
 * `chunk` means the index has caught up; `undefined` means another pass (another window's, a rebuild's reset) moved
 * the index between the read and the write, so nothing was written and the caller reads again.
 *
 * The rows are read in a read-only transaction and the index written in another, over the index tables and meta
 * only: a read-write transaction over `messages` made the chat's page reads and a search wait behind each chunk.
 */
export async function indexNextMessages(db: ParleyDatabase, chunk = 500): Promise<number | undefined> {
  const read = await readPastWatermark(db, wordsVersion, chunk)
  return db.transaction('rw', [db.searchChunks, db.searchTerms, db.meta], async () => {
    if (!sameState(read.state, await indexState(db))) return undefined
    // Older words (or none): start again from the first row, with no chunks.
    if (read.state.version !== wordsVersion) await resetSearchIndex(db)
    const last = read.rows.at(-1)
    if (!last) return 0
    await indexMessages(db, read.rows)
    await db.meta.put(watermarkRow(last))
    return read.rows.length
  })
}

export interface CatchUpOptions {
  onProgress?: (progress: IndexProgress) => void
  /** Message rows read and indexed per transaction. */
  chunk?: number
  /** Asked between passes; stops when it answers false (the window closed). */
  going?: () => boolean
  /** Awaited before each chunk: the window's foreground reads (a search) go first (db/foreground-reads.ts). */
  between?: () => Promise<void>
}

/**
 * Indexes every message above the watermark, a chunk per transaction, with progress: after the upgrade, after a
 * history rebuild, and after each burst of commits. Answers how many rows it read.
 */
export async function catchUpSearchIndex(db: ParleyDatabase, options: CatchUpOptions = {}): Promise<number> {
  const chunk = options.chunk ?? 500
  const total = await unindexedCount(db)
  let done = 0
  if (total > 0) options.onProgress?.({ done, total })
  for (;;) {
    if (options.going && !options.going()) return done
    await options.between?.()
    const read = await indexNextMessages(db, chunk)
    // The index moved between this chunk's read and its write (another window's pass): read again from where it is.
    if (read === undefined) continue
    done += read
    if (read > 0) options.onProgress?.({ done, total: Math.max(total, done) })
    if (read < chunk) return done
  }
}
