import Dexie from 'dexie'
import { searchIndexedSeqKey, searchIndexKey, searchIndexResetsKey, type ParleyDatabase, type SearchChunkRow } from '../db/schema'
import type { WatermarkRow } from './index-watermark'
import { chunkSize } from './search-chunks'

/** The most full chunks kept per database (each some tens of KB): a search for common words reads the newest few. */
export const keptFullChunks = 8

/** What a search read of the index, kept for the next one while meta says the index is as it was. */
interface Kept {
  /** The index's words version and reset count: a reset or a rebuild with other words empties everything. */
  index: string
  /**
   * The watermark, seq and id (index-watermark.ts): every pass moves it, and only a pass writes the open (newest) chunk
   * or starts a new one. Passes through a history rebuild's rows, which share one seq, move only its id.
   */
  seq: string | undefined
  newest: SearchChunkRow | undefined
  /** Full chunks by id, oldest kept first: a pass never writes a full chunk again. */
  full: Map<number, SearchChunkRow>
}

const kept = new WeakMap<ParleyDatabase, Kept>()

/** A search's reads of chunk rows, through what earlier searches kept. */
export interface ChunkReads {
  /** The newest chunk (the open one), or none while nothing is indexed. */
  newest(): PromiseLike<SearchChunkRow | undefined>
  /** Chunks by id, in the order asked (undefined where there is none). */
  get(ids: readonly number[]): PromiseLike<(SearchChunkRow | undefined)[]>
}

/**
 * The chunk rows of the search index, read once and kept while the index stands where it stood: typing a query
 * searches again at every key, and reading the newest chunk again was ~7 ms of a ~17 ms search (50,000 chats, Chromium).
 * Whether the index moved is read from meta (its version, watermark and reset count, one request) in the search's own
 * transaction, so what is kept is never newer or older than what that search would have read. Must be called inside a
 * read transaction over `meta` and `searchChunks`.
 */
export function chunkReads(db: ParleyDatabase): PromiseLike<ChunkReads> {
  // Dexie's own promises throughout: a native one awaited inside the transaction (a kept row, answered without a
  // request) lost the transaction's zone, and the next read found the transaction committed.
  return db.meta.bulkGet([searchIndexKey, searchIndexedSeqKey, searchIndexResetsKey]).then(([version, seq, resets]) => {
    const index = `${String(version?.value)}:${String(resets?.value)}`
    const mark = seq as WatermarkRow | undefined
    const at = mark === undefined ? undefined : `${mark.value}:${mark.id ?? ''}`
    let entry = kept.get(db)
    if (!entry || entry.index !== index) {
      entry = { index, seq: at, newest: undefined, full: new Map() }
      kept.set(db, entry)
    } else if (entry.seq !== at) {
      // A pass since: the open chunk may have grown (a full one stays as it is), and a newer one may have started.
      if (entry.newest && entry.newest.messageIds.length >= chunkSize) keepFull(entry, entry.newest)
      entry.newest = undefined
      entry.seq = at
    }
    return readsThrough(db, entry)
  })
}

function readsThrough(db: ParleyDatabase, mine: Kept): ChunkReads {
  const { index, seq } = mine
  // Another search may have read a later state of the index meanwhile: then nothing this one read is kept.
  const current = (): boolean => kept.get(db) === mine && mine.index === index && mine.seq === seq
  return {
    newest() {
      if (current() && mine.newest) return Dexie.Promise.resolve(mine.newest)
      return db.searchChunks
        .orderBy(':id')
        .last()
        .then((row) => {
          if (row && current()) mine.newest = row
          return row
        })
    },
    get(ids) {
      // What is kept is taken now: a later search may move what `mine` holds while this one reads the rest.
      const cached = new Map<number, SearchChunkRow>()
      if (current()) {
        for (const id of ids) {
          const row = mine.newest?.id === id ? mine.newest : mine.full.get(id)
          if (row) cached.set(id, row)
        }
      }
      const missing = ids.filter((id) => !cached.has(id))
      const answer = (): (SearchChunkRow | undefined)[] => ids.map((id) => cached.get(id))
      if (missing.length === 0) return Dexie.Promise.resolve(answer())
      return db.searchChunks.bulkGet(missing).then((read) => {
        for (const row of read) {
          if (!row) continue
          cached.set(row.id, row)
          if (current() && row.messageIds.length >= chunkSize) keepFull(mine, row)
        }
        return answer()
      })
    }
  }
}

function keepFull(entry: Kept, row: SearchChunkRow): void {
  entry.full.delete(row.id)
  entry.full.set(row.id, row)
  for (const id of entry.full.keys()) {
    if (entry.full.size <= keptFullChunks) break
    entry.full.delete(id)
  }
}
