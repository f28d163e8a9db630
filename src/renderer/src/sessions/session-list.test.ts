import { afterEach, describe, expect, it } from 'vitest'
import type { ParleyDatabase, SessionRow } from '../db/schema'
import { freshDatabase } from '../testing/history-fixtures'
import { foregroundReads } from '../db/foreground-reads'
import { SessionList, defaultListOptions, sessionsAfter, type SessionListOptions } from './session-list'

const row = (n: number, updatedAt = n, title: string | null = `Chat ${n}`): SessionRow => ({
  id: `s${String(n).padStart(5, '0')}`,
  title,
  createdAt: n,
  updatedAt,
  seq: 1
})

const stops: (() => void)[] = []
afterEach(() => {
  for (const stop of stops.splice(0)) stop()
})

/** A list on `db` that records each snapshot's length, with a pause the test can hold. */
function listOn(db: ParleyDatabase, options: Partial<SessionListOptions> = {}) {
  const errors: unknown[] = []
  const list = new SessionList(db, { firstPage: 5, chunk: 20, publishGrowth: 1, pause: () => Promise.resolve(), onError: (e) => errors.push(e), ...options })
  const lengths: number[] = []
  list.subscribe(() => lengths.push(list.getSnapshot()?.rows.length ?? -1))
  stops.push(list.start())
  return { list, lengths, errors, ids: () => list.getSnapshot()?.rows.map((r) => r.id) ?? [] }
}

async function seeded(count: number): Promise<ParleyDatabase> {
  const db = freshDatabase()
  await db.sessions.bulkPut(Array.from({ length: count }, (_, i) => row(i + 1)))
  return db
}

describe('the sidebar’s list of chats', () => {
  it('reads the newest screenful first, then the rest in chunks, newest first', async () => {
    const db = await seeded(53)
    const { list, lengths, ids, errors } = listOn(db)
    await list.settled()
    // 5 first, then chunks of 20: the first rows are shown long before the last are read.
    expect(lengths).toEqual([5, 25, 45, 53])
    expect(ids()).toHaveLength(53)
    expect(ids()[0]).toBe('s00053')
    expect(ids().at(-1)).toBe('s00001')
    expect(list.getSnapshot()?.complete).toBe(true)
    expect(list.getSnapshot()?.byId.get('s00007')?.title).toBe('Chat 7')
    expect(errors).toEqual([])
  })

  it('reads the rest behind a search: while a foreground read is in flight, the list waits after its first screenful', async () => {
    const db = await seeded(53)
    let searchDone = (): void => undefined
    const search = foregroundReads.run(() => new Promise<void>((resolve) => (searchDone = resolve)))
    const { list, lengths } = listOn(db, { pause: defaultListOptions.pause })
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(lengths).toEqual([5])
    searchDone()
    await search
    await list.settled()
    expect(lengths).toEqual([5, 25, 45, 53])
  })

  it('after the first screenful, shows the list again only as it grows fourfold, and once it is whole', async () => {
    const db = await seeded(153)
    const { list, lengths, ids } = listOn(db, { publishGrowth: 4 })
    await list.settled()
    // 5, then 25 (at least 20), then 105 (at least 100), then all 153; each read chunk is still 20 rows.
    expect(lengths).toEqual([5, 25, 105, 153])
    expect(ids()).toHaveLength(153)
    expect(list.getSnapshot()?.complete).toBe(true)
  })

  it('keyset paging loses nothing and doubles nothing when many chats share one time', async () => {
    const db = freshDatabase()
    await db.sessions.bulkPut(Array.from({ length: 47 }, (_, i) => row(i + 1, i < 30 ? 100 : i)))
    const { list, ids } = listOn(db)
    await list.settled()
    expect(new Set(ids()).size).toBe(47)
    const rows = list.getSnapshot()?.rows ?? []
    for (let i = 1; i < rows.length; i += 1) expect(rows[i - 1]!.updatedAt).toBeGreaterThanOrEqual(rows[i]!.updatedAt)
  })

  it('reads pages after a key in the index’s order', async () => {
    const db = await seeded(10)
    const page = await sessionsAfter(db, { id: 's00007', updatedAt: 7 }, 3)
    expect(page.map((r) => r.id)).toEqual(['s00006', 's00005', 's00004'])
  })

  it('moves one chat to the top on new activity, without reading the list again, keeping the other rows as they were', async () => {
    const db = await seeded(30)
    const { list, lengths, ids } = listOn(db)
    await list.settled()
    const before = list.getSnapshot()!.rows
    lengths.length = 0
    await db.sessions.update('s00003', { updatedAt: 1000 })
    await list.settled()
    expect(lengths).toEqual([30])
    expect(ids().slice(0, 2)).toEqual(['s00003', 's00030'])
    const after = list.getSnapshot()!.rows
    expect(after[1]).toBe(before[0])
    expect(list.getSnapshot()?.byId.get('s00003')?.updatedAt).toBe(1000)
  })

  it('follows a new chat, a rename and a delete', async () => {
    const db = await seeded(8)
    const { list, ids } = listOn(db)
    await list.settled()
    await db.sessions.put(row(99))
    await db.sessions.update('s00004', { title: 'Groceries' })
    await db.sessions.delete('s00008')
    await list.settled()
    expect(ids()).toEqual(['s00099', 's00007', 's00006', 's00005', 's00004', 's00003', 's00002', 's00001'])
    expect(list.getSnapshot()?.byId.get('s00004')?.title).toBe('Groceries')
    expect(list.getSnapshot()?.byId.has('s00008')).toBe(false)
    expect(list.getSnapshot()?.listed.has('s00008')).toBe(true)
  })

  it('a bulk write (an import) reads the list again, and shows it only once it is whole', async () => {
    const db = await seeded(10)
    const { list, lengths, ids } = listOn(db)
    await list.settled()
    lengths.length = 0
    await db.sessions.bulkPut(Array.from({ length: 60 }, (_, i) => row(100 + i)))
    await list.settled()
    expect(lengths).toEqual([70])
    expect(ids()[0]).toBe('s00159')
    expect(ids()).toHaveLength(70)
  })

  it('bulk writes that keep coming (a restore) show each reading again as it ends, not only once they stop', async () => {
    const db = await seeded(10)
    let writes = 0
    const bulk = async (): Promise<void> => {
      writes += 1
      await db.sessions.bulkPut(Array.from({ length: 250 }, (_, i) => row(-writes * 1000 - i, -writes * 1000 - i)))
    }
    // Once the list is read, every pause between two reads lets a bulk write of 250 older chats land (more than are
    // patched in row by row), 6 times over.
    let writing = false
    const { list, lengths, ids } = listOn(db, { pause: async () => (writing && writes < 6 ? bulk() : undefined) })
    await list.settled()
    lengths.length = 0
    writing = true
    await bulk()
    await list.settled()
    // Shown as the writes went on, not once at their end; and whole at the end.
    expect(lengths.length).toBeGreaterThan(1)
    expect(lengths.at(-1)).toBe(10 + 6 * 250)
    expect(new Set(ids()).size).toBe(10 + 6 * 250)
    expect(list.getSnapshot()?.complete).toBe(true)
  })

  it('the reading again that follows one bulk writes kept asking for rests first, as long as that one took', async () => {
    const db = await seeded(10)
    let writes = 0
    let writing = false
    const bulk = async (): Promise<void> => {
      writes += 1
      await db.sessions.bulkPut(Array.from({ length: 250 }, (_, i) => row(-writes * 1000 - i, -writes * 1000 - i)))
    }
    const rests: number[] = []
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    const { list, lengths } = listOn(db, {
      pause: async () => (writing && writes < 2 ? bulk() : undefined),
      restBetweenReadings: (ms) => {
        rests.push(ms)
        return held
      }
    })
    await list.settled()
    lengths.length = 0
    writing = true
    await bulk()
    // The reading again asked for by the first write met the second in its pauses: when it ends, the next one rests.
    await expect.poll(() => rests.length).toBe(1)
    expect(rests[0]).toBeGreaterThanOrEqual(0)
    const shown = list.getSnapshot()?.rows.length ?? 0
    // A third write while it rests is not read until the rest is over.
    writing = false
    await bulk()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(list.getSnapshot()?.rows).toHaveLength(shown)
    release()
    await expect.poll(() => list.getSnapshot()?.rows.length).toBe(10 + 3 * 250)
  })

  it('a chat that changes while the list is still being read is neither lost nor doubled', async () => {
    const db = await seeded(60)
    // The list pauses after its first screenful until the test lets it go on.
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    let paused = 0
    const { list, ids } = listOn(db, { pause: () => ((paused += 1), gate) })
    await expect.poll(() => paused).toBe(1)
    expect(ids()).toHaveLength(5)
    // Read so far: 60..56. One not yet read moves to the top; one read is deleted; one older than all arrives.
    await db.sessions.update('s00010', { updatedAt: 500 })
    await db.sessions.delete('s00058')
    await db.sessions.put(row(0, 0))
    release()
    await list.settled()
    expect(list.getSnapshot()?.complete).toBe(true)
    expect(ids()[0]).toBe('s00010')
    expect(ids()).toHaveLength(60)
    expect(new Set(ids()).size).toBe(60)
    expect(ids()).not.toContain('s00058')
    expect(ids().at(-1)).toBe('s00000')
  })

  it('says nothing before the first screenful is read, and nothing after it is stopped', async () => {
    const db = await seeded(3)
    const list = new SessionList(db, { firstPage: 5, chunk: 20, publishGrowth: 1, pause: () => Promise.resolve(), onError: () => undefined })
    expect(list.getSnapshot()).toBeUndefined()
    const stop = list.start()
    await list.settled()
    expect(list.getSnapshot()?.rows).toHaveLength(3)
    stop()
    await db.sessions.put(row(50))
    await list.settled()
    expect(list.getSnapshot()?.rows).toHaveLength(3)
  })
})
