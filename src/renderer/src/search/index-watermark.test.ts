import { describe, expect, it } from 'vitest'
import { searchIndexedSeqKey, searchIndexKey, type MessageRow } from '../db/schema'
import { freshDatabase, userMessage } from '../testing/history-fixtures'
import { countPastWatermark, readPastWatermark, watermarkRow } from './index-watermark'
import { wordsVersion } from './search-index'

const row = (id: string, seq: number): MessageRow => ({ ...userMessage('s1', id, `text of ${id}`), seq, createdSeq: seq })
const ids = (rows: readonly MessageRow[]): string[] => rows.map((r) => r.id)

describe("the search index's watermark: a seq and the last id indexed at it", () => {
  it('reads rows in (seq, id) order from just past the watermark, however many rows share its seq', async () => {
    const db = freshDatabase()
    // A rebuild's rows share the snapshot's seq (40); later events' rows have their own.
    await db.messages.bulkPut([row('c', 40), row('a', 40), row('e', 40), row('b', 40), row('d', 40), row('x', 41), row('y', 43)])
    await db.meta.put({ key: searchIndexKey, value: wordsVersion })
    expect(ids((await readPastWatermark(db, wordsVersion, 3)).rows)).toEqual(['a', 'b', 'c'])
    await db.meta.put(watermarkRow({ seq: 40, id: 'c' }))
    const next = await readPastWatermark(db, wordsVersion, 3)
    expect(next.state).toMatchObject({ seq: 40, id: 'c' })
    expect(ids(next.rows)).toEqual(['d', 'e', 'x'])
    await db.meta.put(watermarkRow({ seq: 41, id: 'x' }))
    expect(ids((await readPastWatermark(db, wordsVersion, 3)).rows)).toEqual(['y'])
    db.close()
  })

  it("a row of the watermark's seq rewritten meanwhile (a higher seq) comes again, and none of the others is skipped", async () => {
    const db = freshDatabase()
    await db.messages.bulkPut([row('a', 40), row('b', 40), row('c', 40), row('d', 40)])
    await db.meta.bulkPut([{ key: searchIndexKey, value: wordsVersion }, watermarkRow({ seq: 40, id: 'b' })])
    // `a`, already indexed, finished later; `b` deleted.
    await db.messages.put(row('a', 50))
    await db.messages.delete('b')
    expect(ids((await readPastWatermark(db, wordsVersion, 10)).rows)).toEqual(['c', 'd', 'a'])
    expect(await countPastWatermark(db, { seq: 40, id: 'b' })).toBe(3)
    db.close()
  })

  it('a watermark kept before the id was (a seq alone) covers every row of its seq, as it did then', async () => {
    const db = freshDatabase()
    await db.messages.bulkPut([row('a', 40), row('b', 40), row('c', 41)])
    await db.meta.bulkPut([{ key: searchIndexKey, value: wordsVersion }, { key: searchIndexedSeqKey, value: 40 }])
    expect(ids((await readPastWatermark(db, wordsVersion, 10)).rows)).toEqual(['c'])
    expect(await countPastWatermark(db, { seq: 40 })).toBe(1)
    db.close()
  })

  it('an index made with older words reads from the first row', async () => {
    const db = freshDatabase()
    await db.messages.bulkPut([row('a', 40), row('b', 41)])
    await db.meta.bulkPut([{ key: searchIndexKey, value: wordsVersion - 1 }, watermarkRow({ seq: 41, id: 'b' })])
    expect(ids((await readPastWatermark(db, wordsVersion, 10)).rows)).toEqual(['a', 'b'])
    db.close()
  })

  it('counts at most what it is asked for', async () => {
    const db = freshDatabase()
    await db.messages.bulkPut([row('a', 40), row('b', 40), row('c', 40), row('d', 41), row('e', 42)])
    expect(await countPastWatermark(db, { seq: 40, id: 'a' })).toBe(4)
    expect(await countPastWatermark(db, { seq: 40, id: 'a' }, 1)).toBe(1)
    expect(await countPastWatermark(db, { seq: 40, id: 'a' }, 3)).toBe(3)
    expect(await countPastWatermark(db, { seq: 0 })).toBe(5)
    db.close()
  })
})
