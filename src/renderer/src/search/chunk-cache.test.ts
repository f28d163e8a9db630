import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Message } from '../../../shared'
import { writeEvents } from '../db/row-writes'
import type { ParleyDatabase } from '../db/schema'
import { freshDatabase, userMessage } from '../testing/history-fixtures'
import { chunkReads, keptFullChunks } from './chunk-cache'
import { chunkSize } from './search-chunks'
import { catchUpSearchIndex, resetSearchIndex } from './search-index'
import { searchMessages } from './search-messages'

let seq = 0
/** Writes these messages as the applier does (one chat, created first), then lets a pass index them. */
async function written(db: ParleyDatabase, messages: readonly Message[]): Promise<void> {
  if (seq === 0) await writeEvents(db, [{ type: 'session.created', session: { id: 'c', title: 'Chat', createdAt: 1, updatedAt: 1 }, seq: ++seq, at: 1 }])
  await writeEvents(db, messages.map((message) => ({ type: 'message.created', message, seq: ++seq, at: message.createdAt })))
  await catchUpSearchIndex(db)
}

const said = (id: string, text: string, at: number): Message => userMessage('c', id, text, at)
const found = async (db: ParleyDatabase, query: string): Promise<string[]> =>
  (await searchMessages(db, query)).chats.flatMap((chat) => chat.hits.map((hit) => hit.messageId))
/** The chunk rows a call reads from IndexedDB (not from what was kept). */
function chunkRowReads(db: ParleyDatabase): () => number {
  const last = vi.spyOn(db.searchChunks, 'orderBy')
  const bulk = vi.spyOn(db.searchChunks, 'bulkGet')
  return () => last.mock.calls.length + bulk.mock.calls.reduce((sum, [keys]) => sum + keys.length, 0)
}

afterEach(() => {
  seq = 0
  vi.restoreAllMocks()
})

describe('the chunk rows searches keep', () => {
  it('answers the next search without reading the newest chunk again while the index has not moved', async () => {
    const db = freshDatabase()
    await written(db, [said('a', 'a walk along the river', 10)])
    expect(await found(db, 'walk')).toEqual(['a'])
    const reads = chunkRowReads(db)
    expect(await found(db, 'river')).toEqual(['a'])
    expect(reads()).toBe(0)
  })

  it('reads the open chunk again once a pass has added to it: new messages are found at once', async () => {
    const db = freshDatabase()
    await written(db, [said('a', 'a walk along the river', 10)])
    expect(await found(db, 'walk')).toEqual(['a'])
    await written(db, [said('b', 'another walk, by the sea', 20)])
    expect(await found(db, 'walk')).toEqual(['b', 'a'])
    expect(await found(db, 'sea')).toEqual(['b'])
    const byId = await db.transaction('r', [db.meta, db.searchChunks], async () => (await (await chunkReads(db)).get([1]))[0]?.messageIds)
    expect(byId).toEqual(['a', 'b'])
  })

  it('forgets everything when the index is reset (a history rebuild): nothing found from the old chunks', async () => {
    const db = freshDatabase()
    await written(db, [said('a', 'a walk along the river', 10)])
    expect(await found(db, 'walk')).toEqual(['a'])
    await db.transaction('rw', [db.meta, db.searchChunks, db.searchTerms, db.messages], async () => {
      await db.messages.clear()
      await resetSearchIndex(db)
    })
    expect(await found(db, 'walk')).toEqual([])
  })

  it('keeps the newest chunk among the full ones only once it is full', async () => {
    const db = freshDatabase()
    await written(db, [said('a', 'a walk along the river', 10)])
    expect(await found(db, 'walk')).toEqual(['a'])
    await written(db, Array.from({ length: chunkSize }, (_, i) => said(`m${i}`, `note ${i}`, 100 + i)))
    expect(await found(db, 'note')).toHaveLength(50)
    const first = await db.transaction('r', [db.meta, db.searchChunks], async () => (await (await chunkReads(db)).get([1]))[0]?.messageIds)
    expect(first).toHaveLength(chunkSize)
  })

  it('forgets full chunks too when the index is reset and built again', async () => {
    const db = freshDatabase()
    await written(db, Array.from({ length: chunkSize + 1 }, (_, i) => said(`m${i}`, `walk ${i}`, 100 + i)))
    const first = async (): Promise<string | undefined> =>
      db.transaction('r', [db.meta, db.searchChunks], async () => (await (await chunkReads(db)).get([1]))[0]?.messageIds[0])
    expect(await first()).toBe('m0')
    await db.transaction('rw', [db.meta, db.searchChunks, db.searchTerms, db.messages], async () => {
      await db.messages.clear()
      await resetSearchIndex(db)
    })
    await written(db, Array.from({ length: chunkSize + 1 }, (_, i) => said(`r${i}`, `run ${i}`, 10_000 + i)))
    expect(await first()).toBe('r0')
  })

  it('keeps full chunks across passes (a pass never writes one again), at most a few of them', async () => {
    const db = freshDatabase()
    await written(db, Array.from({ length: chunkSize * 3 }, (_, i) => said(`m${i}`, `note ${i} about walking`, 100 + i)))
    const reads = chunkRowReads(db)
    const readsOf = async (ids: number[]): Promise<number> => {
      const before = reads()
      await db.transaction('r', [db.meta, db.searchChunks], () => chunkReads(db).then((r) => r.get(ids)))
      return reads() - before
    }
    expect(await readsOf([1, 2])).toBe(2)
    await written(db, [said('late', 'one more walking note', 99_999)])
    expect(await readsOf([1, 2])).toBe(0)
    // The open chunk (4, one message) is read again after every pass.
    const open = async (): Promise<string[] | undefined> =>
      db.transaction('r', [db.meta, db.searchChunks], async () => (await (await chunkReads(db)).get([4]))[0]?.messageIds)
    expect(await open()).toEqual(['late'])
    await written(db, [said('later', 'and another', 100_000)])
    expect(await open()).toEqual(['late', 'later'])
    // More full chunks than are kept: the ones read first are read again.
    await written(db, Array.from({ length: chunkSize * (keptFullChunks + 1) }, (_, i) => said(`n${i}`, `more ${i}`, 200_000 + i)))
    expect(await readsOf(Array.from({ length: keptFullChunks + 2 }, (_, i) => i + 1))).toBe(keptFullChunks)
    expect(await readsOf([1])).toBe(1)
    expect(await readsOf([keptFullChunks + 2])).toBe(0)
  })

  it('never answers a search from rows kept for another state of the index than its own', async () => {
    const db = freshDatabase()
    await written(db, [said('a', 'a walk along the river', 10)])
    // One search's reads were opened on the index before a pass; another's after it, which keeps the newest chunk.
    const older = await db.transaction('r', [db.meta, db.searchChunks], () => chunkReads(db))
    await written(db, [said('b', 'another walk, by the sea', 20)])
    const kept = await db.transaction('r', [db.meta, db.searchChunks], async () => (await (await chunkReads(db)).newest())?.messageIds)
    expect(kept).toEqual(['a', 'b'])
    // Another pass, then a late read through the older view: it reads the row for itself (here, IndexedDB's newest),
    // not what was kept for the state after the first pass.
    await written(db, [said('c', 'a third walk', 30)])
    const late = await db.transaction('r', [db.meta, db.searchChunks], async () => (await older.newest())?.messageIds)
    expect(late).toEqual(['a', 'b', 'c'])
    expect(await found(db, 'walk')).toEqual(['c', 'b', 'a'])
  })
})
