import { afterEach, describe, expect, it, vi } from 'vitest'
import { foregroundReads } from '../db/foreground-reads'
import { writeEvents } from '../db/row-writes'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { freshDatabase, sessionCreated, userMessage } from '../testing/history-fixtures'
import { startIdleIndexer, type IndexerState } from './idle-indexer'
import { searchMessages } from './search-messages'

const stops: (() => void)[] = []
afterEach(() => {
  for (const stop of stops.splice(0)) stop()
})

const foundIds = async (db: ReturnType<typeof freshDatabase>, query: string): Promise<string[]> =>
  (await searchMessages(db, query)).chats.flatMap((chat) => chat.hits.map((hit) => hit.messageId))

/** A chat with one message ("an old harbour"), written to a fresh database, and the main it came from. */
async function oneMessageWritten(): Promise<{ main: FakeParleyApi; db: ReturnType<typeof freshDatabase> }> {
  const main = new FakeParleyApi()
  main.publish(sessionCreated('s1'))
  main.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'an old harbour') })
  const db = freshDatabase()
  await writeEvents(db, main.published)
  return { main, db }
}

/** A chat with five messages ("word0" to "word4"), written to a fresh database. */
async function fiveMessagesWritten(): Promise<ReturnType<typeof freshDatabase>> {
  const main = new FakeParleyApi()
  main.publish(sessionCreated('s1'))
  for (let i = 0; i < 5; i++) main.publish({ type: 'message.created', message: userMessage('s1', `u${i}`, `word${i}`) })
  const db = freshDatabase()
  await writeEvents(db, main.published)
  return db
}

describe('the idle indexer', () => {
  it('indexes what was there at the start, then each burst of new messages once they are left alone', async () => {
    const { main, db } = await oneMessageWritten()
    const states: IndexerState[] = []
    stops.push(startIdleIndexer(db, { onState: (state) => states.push(state), idleMs: 5 }))
    await vi.waitFor(async () => expect(await foundIds(db, 'harb')).toEqual(['u1']))
    expect(states.at(-1)).toEqual({ kind: 'ready', passes: 1 })

    // A commit: not findable until the pass after it, then findable, and the dialog is told (passes goes up).
    const written = main.publish({ type: 'message.created', message: userMessage('s1', 'u2', 'a new lighthouse', 5) })
    await writeEvents(db, [written])
    await vi.waitFor(async () => expect(await foundIds(db, 'lighthouse')).toEqual(['u2']))
    await vi.waitFor(() => expect(states.at(-1)).toEqual({ kind: 'ready', passes: 2 }))
  })

  it('holds its chunks back while a search (a foreground read) is in flight, and indexes once it is done', async () => {
    const { db } = await oneMessageWritten()
    let searchDone = (): void => undefined
    const search = foregroundReads.run(() => new Promise<void>((resolve) => (searchDone = resolve)))
    const states: IndexerState[] = []
    stops.push(startIdleIndexer(db, { onState: (state) => states.push(state), idleMs: 5 }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await foundIds(db, 'harb')).toEqual([])
    expect(states.filter((state) => state.kind === 'ready')).toEqual([])
    searchDone()
    await search
    await vi.waitFor(async () => expect(await foundIds(db, 'harb')).toEqual(['u1']))
    expect(states.at(-1)).toEqual({ kind: 'ready', passes: 1 })
  })

  it('starts its first pass only once `startAfter` has settled (the window idle after its start)', async () => {
    const { db } = await oneMessageWritten()
    let idle: () => void = () => undefined
    const startAfter = (): Promise<void> => new Promise((resolve) => (idle = resolve))
    const states: IndexerState[] = []
    stops.push(startIdleIndexer(db, { onState: (state) => states.push(state), idleMs: 5, startAfter }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(states).toEqual([])
    expect(await foundIds(db, 'harb')).toEqual([])
    idle()
    await vi.waitFor(async () => expect(await foundIds(db, 'harb')).toEqual(['u1']))
    expect(states.at(-1)).toEqual({ kind: 'ready', passes: 1 })
  })

  it('leaves messages written before `startAfter` settles to its first pass: no pass meanwhile (a restore writing behind the window)', async () => {
    const { main, db } = await oneMessageWritten()
    let restored: () => void = () => undefined
    const startAfter = (): Promise<void> => new Promise((resolve) => (restored = resolve))
    const states: IndexerState[] = []
    stops.push(startIdleIndexer(db, { onState: (state) => states.push(state), idleMs: 5, startAfter, changesWaitForStart: true }))
    // Writes keep coming with pauses longer than idleMs: none of them starts a pass.
    for (let i = 0; i < 3; i++) {
      await writeEvents(db, [main.publish({ type: 'message.created', message: userMessage('s1', `r${i}`, `restored harbour ${i}`, 10 + i) })])
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
    expect(states).toEqual([])
    expect(await foundIds(db, 'harb')).toEqual([])
    restored()
    await vi.waitFor(async () => expect((await foundIds(db, 'harb')).sort()).toEqual(['r0', 'r1', 'r2', 'u1']))
    expect(states.filter((state) => state.kind === 'ready')).toEqual([{ kind: 'ready', passes: 1 }])
  })

  it('says a large gap at once, while its first pass still waits for `startAfter`', async () => {
    const db = await fiveMessagesWritten()
    let idle: () => void = () => undefined
    const startAfter = (): Promise<void> => new Promise((resolve) => (idle = resolve))
    const states: IndexerState[] = []
    stops.push(startIdleIndexer(db, { onState: (state) => states.push(state), chunk: 2, showProgressFrom: 5, startAfter }))
    await vi.waitFor(() => expect(states).toEqual([{ kind: 'waiting' }]))
    expect(await foundIds(db, 'word0')).toEqual([])
    idle()
    await vi.waitFor(() => expect(states.at(-1)).toEqual({ kind: 'ready', passes: 1 }))
    expect(states[1]).toEqual({ kind: 'building', progress: { done: 0, total: 5 } })
  })

  it('says nothing before its first pass when the gap is small', async () => {
    const { db } = await oneMessageWritten()
    const states: IndexerState[] = []
    stops.push(startIdleIndexer(db, { onState: (state) => states.push(state), showProgressFrom: 5, startAfter: () => new Promise(() => undefined) }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(states).toEqual([])
  })

  it('shows progress while it fills a large gap', async () => {
    const db = await fiveMessagesWritten()
    const states: IndexerState[] = []
    stops.push(startIdleIndexer(db, { onState: (state) => states.push(state), chunk: 2, showProgressFrom: 5 }))
    await vi.waitFor(() => expect(states.at(-1)).toEqual({ kind: 'ready', passes: 1 }))
    expect(states.slice(0, -1)).toEqual([
      { kind: 'building', progress: { done: 0, total: 5 } },
      { kind: 'building', progress: { done: 2, total: 5 } },
      { kind: 'building', progress: { done: 4, total: 5 } },
      { kind: 'building', progress: { done: 5, total: 5 } }
    ])
  })

  it('stops: nothing is indexed after it', async () => {
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    const db = freshDatabase()
    await writeEvents(db, main.published)
    const states: IndexerState[] = []
    const stop = startIdleIndexer(db, { onState: (state) => states.push(state), idleMs: 5 })
    await vi.waitFor(() => expect(states).toHaveLength(1))
    stop()
    await writeEvents(db, [main.publish({ type: 'message.created', message: userMessage('s1', 'u9', 'unseen words') })])
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await db.searchChunks.count()).toBe(0)
  })
})
