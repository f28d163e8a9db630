import { searchIndexedSeqKey, searchIndexKey, searchIndexResetsKey, type MessageRow, type MetaRow, type ParleyDatabase } from '../db/schema'

/**
 * Where the search index stands: every finished message row before `(seq, id)`, in the order of the rows' `seq`, then
 * their ids, is indexed. The id matters: a history rebuild writes every row of a snapshot with the snapshot's one seq
 * (db/history-rebuild.ts), so a pass that stopped after 500 of them must say which. A watermark written before the id
 * was kept (`id` undefined) covers every row of its seq, as it did then.
 */
export interface IndexWatermark {
  seq: number
  id?: string
}

/** The index's words version, watermark and resets, as one read sees them: a pass writes only if none moved since. */
export interface IndexState {
  version: number | undefined
  seq: number | undefined
  id: string | undefined
  resets: number | undefined
}

/** Meta's watermark row: `value` is the seq, `id` the last row indexed at it. */
export interface WatermarkRow extends MetaRow {
  id?: string
}

export function watermarkRow(row: Pick<MessageRow, 'seq' | 'id'>): WatermarkRow {
  return { key: searchIndexedSeqKey, value: row.seq, id: row.id }
}

export const sameState = (a: IndexState, b: IndexState): boolean =>
  a.version === b.version && a.seq === b.seq && a.id === b.id && a.resets === b.resets

/** The watermark a state stands for, or the start when the index was built with other words (`wordsVersion`). */
export function watermarkOf(state: IndexState, wordsVersion: number): IndexWatermark {
  if (state.version !== wordsVersion) return { seq: 0 }
  return state.id === undefined ? { seq: state.seq ?? 0 } : { seq: state.seq ?? 0, id: state.id }
}

/**
 * The index's state and the next `limit` message rows past its watermark, in (seq, id) order, read in one read-only
 * transaction straight through IndexedDB. The rows left at the watermark's own seq are read with a cursor that jumps
 * to its id (`continuePrimaryKey`), the rows above it with one `getAll`, so a pass costs by its rows, however many
 * rows share the watermark's seq. Callbacks only, no promise in between, so the transaction stays active.
 */
export function readPastWatermark(
  db: ParleyDatabase,
  wordsVersion: number,
  limit: number
): Promise<{ state: IndexState; rows: MessageRow[] }> {
  // The key ranges of the IndexedDB the database was opened with (Node's tests give theirs; the page has its own).
  type KeyRanges = Pick<typeof IDBKeyRange, 'bound' | 'lowerBound'>
  const KeyRange = (db._options.IDBKeyRange as KeyRanges | undefined) ?? globalThis.IDBKeyRange
  return new Promise((resolve, reject) => {
    const transaction = db.backendDB().transaction([db.messages.name, db.meta.name], 'readonly')
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB refused a read of the search index.'))
    const meta = transaction.objectStore(db.meta.name)
    const index = transaction.objectStore(db.messages.name).index('seq')
    const [versionRead, seqRead, resetsRead] = [searchIndexKey, searchIndexedSeqKey, searchIndexResetsKey].map(
      (key) => meta.get(key) as IDBRequest<WatermarkRow | undefined>
    )
    if (!versionRead || !seqRead || !resetsRead) return
    // Requests of one transaction succeed in order: the last one's answer comes after the others'.
    resetsRead.onsuccess = () => {
      const mark = seqRead.result
      const state: IndexState = { version: versionRead.result?.value, seq: mark?.value, id: mark?.id, resets: resetsRead.result?.value }
      const from = watermarkOf(state, wordsVersion)
      const rows: MessageRow[] = []
      const above = (): void => {
        if (rows.length >= limit) return resolve({ state, rows })
        const read = index.getAll(KeyRange.lowerBound(from.seq, true), limit - rows.length) as IDBRequest<MessageRow[]>
        read.onsuccess = () => resolve({ state, rows: rows.concat(read.result) })
      }
      const id = from.id
      if (id === undefined) return above()
      // The rows of the watermark's seq after its id (a rebuild's rows share one seq), then the rows above.
      const cursorRequest = index.openCursor(KeyRange.bound(from.seq, from.seq))
      cursorRequest.onsuccess = () => {
        const cursor = cursorRequest.result
        if (!cursor) return above()
        const key = String(cursor.primaryKey)
        if (key < id) return cursor.continuePrimaryKey(from.seq, id)
        if (key > id) rows.push(cursor.value as MessageRow)
        if (rows.length >= limit) return resolve({ state, rows })
        cursor.continue()
      }
    }
  })
}

/** How many message rows are past the watermark, counting up to `atMost` (their keys only). */
export async function countPastWatermark(db: ParleyDatabase, from: IndexWatermark, atMost = Infinity): Promise<number> {
  let count = 0
  if (from.id !== undefined) {
    const id = from.id
    const atSeq = await db.messages.where('seq').equals(from.seq).primaryKeys()
    count += atSeq.filter((key) => key > id).length
    if (count >= atMost) return atMost
  }
  const above = db.messages.where('seq').above(from.seq)
  return count + (atMost === Infinity ? await above.count() : (await above.limit(atMost - count).primaryKeys()).length)
}
