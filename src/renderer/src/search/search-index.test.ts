import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import { EventApplier } from '../db/applier'
import * as v1 from '../db/fixtures/schema-v1'
import { writeEvents } from '../db/row-writes'
import { ParleyDatabase, searchIndexKey } from '../db/schema'
import { StreamingStore } from '../db/streaming-store'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { assistantMessage, delta, finished, freshDatabase, sessionCreated, userMessage } from '../testing/history-fixtures'
import { decodeChunk } from './search-chunks'
import { catchUpSearchIndex, entryOf, indexNextMessages, resetSearchIndex, searchIndexReady, type IndexProgress } from './search-index'
import { searchMessages } from './search-messages'

const appliers: EventApplier[] = []
afterEach(() => {
  for (const applier of appliers.splice(0)) applier.stop()
})

async function startApplier(db: ParleyDatabase, api: FakeParleyApi): Promise<EventApplier> {
  const applier = new EventApplier({ api, db, streaming: new StreamingStore((callback) => queueMicrotask(callback)), checkpointMs: 60_000 })
  appliers.push(applier)
  await applier.start()
  return applier
}

/** Message id → its indexed words (sorted), as the chunks hold them; a message indexed again has its newest words. */
async function indexed(db: ParleyDatabase): Promise<Record<string, string[]>> {
  const words: Record<string, string[]> = {}
  for (const row of await db.searchChunks.toArray()) {
    const chunk = decodeChunk(row)
    const latest = new Map<string, number>()
    chunk.messageIds.forEach((id, ordinal) => latest.set(id, ordinal))
    for (const [id] of latest) words[id] = []
    for (const [word, ordinals] of chunk.postings) {
      for (const ordinal of ordinals) {
        const id = chunk.messageIds[ordinal] ?? ''
        if (latest.get(id) === ordinal) words[id]?.push(word)
      }
    }
  }
  for (const id of Object.keys(words)) words[id]?.sort()
  return words
}

const found = async (db: ParleyDatabase, query: string): Promise<string[]> =>
  (await searchMessages(db, query)).chats.flatMap((chat) => chat.hits.map((hit) => hit.messageId))

describe('the search index, kept by an idle pass after the commits', () => {
  it('a commit writes no entry; the pass indexes prompts, and an answer only once it has finished', async () => {
    const api = new FakeParleyApi()
    const db = freshDatabase()
    const applier = await startApplier(db, api)
    api.publish(sessionCreated('s1'))
    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'Where is Lisbon?') })
    const answer = assistantMessage('s1', 'a1', 3)
    api.publish({ type: 'message.created', message: answer })
    const checkpoint = api.publish(delta(answer, 'Portugal, on the Tagus'))
    await applier.committedThrough(checkpoint.seq)
    expect(await db.messages.get('a1')).toMatchObject({ status: 'streaming' })
    expect(await indexed(db)).toEqual({})
    expect(await searchIndexReady(db)).toBe(false)
    await catchUpSearchIndex(db)
    // Stop words ("is", "on", "the") are not indexed.
    expect(await indexed(db)).toEqual({ u1: ['lisbon', 'where'] })

    const done = api.publish({ type: 'message.finished', message: finished(answer, 'Portugal, on the Tagus río.') })
    await applier.committedThrough(done.seq)
    expect(await searchIndexReady(db)).toBe(false)
    expect(await catchUpSearchIndex(db)).toBe(1)
    expect(await indexed(db)).toEqual({ u1: ['lisbon', 'where'], a1: ['portugal', 'rio', 'tagus'] })
    expect(await found(db, 'tagus')).toEqual(['a1'])
    expect(await searchIndexReady(db)).toBe(true)
    expect(await catchUpSearchIndex(db)).toBe(0)
  })

  it('deleted messages and deleted chats are never found, though their postings stay', async () => {
    const api = new FakeParleyApi()
    const db = freshDatabase()
    const applier = await startApplier(db, api)
    api.publish(sessionCreated('s1'))
    api.publish(sessionCreated('s2'))
    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'keep me note') })
    api.publish({ type: 'message.created', message: userMessage('s1', 'u2', 'drop me note') })
    const written = api.publish({ type: 'message.created', message: userMessage('s2', 'u3', 'whole chat goes note') })
    await applier.committedThrough(written.seq)
    await catchUpSearchIndex(db)
    expect((await found(db, 'note')).sort()).toEqual(['u1', 'u2', 'u3'])
    const last = api.publish({ type: 'messages.deleted', sessionId: 's1', messageIds: ['u2'], leafId: 'u1' })
    await applier.committedThrough(last.seq)
    expect(await found(db, 'drop')).toEqual([])
    const gone = api.publish({ type: 'session.deleted', sessionId: 's2' })
    await applier.committedThrough(gone.seq)
    expect(await found(db, 'whole')).toEqual([])
    expect(await found(db, 'note')).toEqual(['u1'])
    expect(Object.keys(await indexed(db)).sort()).toEqual(['u1', 'u2', 'u3'])
  })

  it('an edited message is found by its new words only, and once', async () => {
    const db = freshDatabase()
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    const message = userMessage('s1', 'u1', 'alpha common')
    main.publish({ type: 'message.created', message })
    await writeEvents(db, main.published)
    await catchUpSearchIndex(db)
    expect(await found(db, 'alpha')).toEqual(['u1'])
    // The same message written again by a later event (a rewrite of its row): indexed again by the next pass.
    const edit = main.publish({ type: 'message.created', message: { ...message, parts: [{ type: 'text', text: 'beta common' }] } })
    await writeEvents(db, [edit])
    expect(await found(db, 'alpha')).toEqual([])
    await catchUpSearchIndex(db)
    expect(await found(db, 'alpha')).toEqual([])
    expect(await found(db, 'beta')).toEqual(['u1'])
    expect(await found(db, 'common')).toEqual(['u1'])
  })

  it('a message deleted before the pass is never indexed', async () => {
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    main.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'short lived') })
    main.publish({ type: 'messages.deleted', sessionId: 's1', messageIds: ['u1'], leafId: null })
    const db = freshDatabase()
    await writeEvents(db, main.published)
    await catchUpSearchIndex(db)
    expect(await indexed(db)).toEqual({})
  })

  it('writes nothing twice: a replayed finished answer leaves the same entry', async () => {
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    const answer = assistantMessage('s1', 'a1')
    main.publish({ type: 'message.created', message: answer })
    main.publish({ type: 'message.finished', message: finished(answer, 'Final words') })
    const db = freshDatabase()
    await writeEvents(db, main.published)
    await catchUpSearchIndex(db)
    await writeEvents(db, main.published)
    await catchUpSearchIndex(db)
    expect(await indexed(db)).toEqual({ a1: ['final', 'words'] })
    expect((await db.searchChunks.toArray()).flatMap((row) => row.messageIds)).toEqual(['a1'])
  })

  it('a reload between the commit and the pass, or in the middle of a pass, loses nothing', async () => {
    const name = `parley-search-reload-${Math.random()}`
    const open = (): ParleyDatabase => new ParleyDatabase(name, { indexedDB, IDBKeyRange })
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    for (let i = 1; i <= 5; i++) main.publish({ type: 'message.created', message: userMessage('s1', `u${i}`, `note number${i}`) })
    const before = open()
    await writeEvents(before, main.published)
    // One chunk of two, then the window goes away.
    let passes = 0
    expect(await catchUpSearchIndex(before, { chunk: 2, going: () => passes++ < 1 })).toBe(2)
    before.close()
    const after = open()
    expect(await searchIndexReady(after)).toBe(false)
    const progress: IndexProgress[] = []
    expect(await catchUpSearchIndex(after, { chunk: 2, onProgress: (p) => progress.push(p) })).toBe(3)
    expect(progress).toEqual([
      { done: 0, total: 3 },
      { done: 2, total: 3 },
      { done: 3, total: 3 }
    ])
    expect(Object.keys(await indexed(after)).sort()).toEqual(['u1', 'u2', 'u3', 'u4', 'u5'])
    expect((await searchMessages(after, 'number4')).chats.flatMap((chat) => chat.hits.map((hit) => hit.messageId))).toEqual(['u4'])
    after.close()
  })

  it('reads its rows apart from the write: two passes at once index each message once, and a reset between them wins', async () => {
    const db = freshDatabase()
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    for (let i = 1; i <= 4; i++) main.publish({ type: 'message.created', message: userMessage('s1', `u${i}`, `note number${i}`) })
    await writeEvents(db, main.published)
    // Both read the same rows; the second to write finds the watermark moved and writes nothing.
    const both = await Promise.all([indexNextMessages(db, 10), indexNextMessages(db, 10)])
    expect(both.filter((read) => read === 4)).toHaveLength(1)
    expect(both.filter((read) => read === undefined)).toHaveLength(1)
    expect((await db.searchChunks.toArray()).flatMap((row) => row.messageIds).sort()).toEqual(['u1', 'u2', 'u3', 'u4'])

    // A reset (a history rebuild) after a pass read its rows: that pass writes nothing, the next indexes from 0.
    const more = main.publish({ type: 'message.created', message: userMessage('s1', 'u5', 'note number5') })
    await writeEvents(db, [more])
    const pass = indexNextMessages(db, 10)
    await db.transaction('rw', [db.meta, db.searchChunks, db.searchTerms], () => resetSearchIndex(db))
    // The reset's transaction was made while the pass read (it waits for that read: both use meta); the pass's write
    // comes after it.
    expect(await pass).toBeUndefined()
    expect(await catchUpSearchIndex(db)).toBe(5)
    expect(await searchIndexReady(db)).toBe(true)
    expect(await found(db, 'number5')).toEqual(['u5'])
    expect(await found(db, 'number1')).toEqual(['u1'])
    expect((await db.searchChunks.toArray()).flatMap((row) => row.messageIds).sort()).toEqual(['u1', 'u2', 'u3', 'u4', 'u5'])
  })

  it('a reset counts itself: a pass that read from an emptied index writes nothing if it was emptied again meanwhile', async () => {
    const db = freshDatabase()
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    main.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'note number1') })
    await writeEvents(db, main.published)
    const reset = (): Promise<void> => db.transaction('rw', [db.meta, db.searchChunks, db.searchTerms], () => resetSearchIndex(db))
    await reset()
    // Watermark 0 and today's words before and after the second reset: only the count tells them apart.
    const pass = indexNextMessages(db, 10)
    await reset()
    expect(await pass).toBeUndefined()
    expect(await catchUpSearchIndex(db)).toBe(1)
  })

  it('has no entry for a streaming message or one without words', () => {
    expect(entryOf(assistantMessage('s1', 'a1'))).toBeUndefined()
    expect(entryOf(userMessage('s1', 'u1', ' … '))).toBeUndefined()
    expect(entryOf(userMessage('s1', 'u1', 'It is the one'))).toMatchObject({ words: ['one'] })
  })
})

describe('building the search index from Dexie', () => {
  it('indexes a version 1 database after the upgrade, in chunks with progress, once', async () => {
    const name = `parley-search-v1-${Math.random()}`
    await v1.createDatabase(name, { indexedDB, IDBKeyRange })
    const db = new ParleyDatabase(name, { indexedDB, IDBKeyRange })
    expect(await searchIndexReady(db)).toBe(false)
    const progress: IndexProgress[] = []
    expect(await catchUpSearchIndex(db, { chunk: 2, onProgress: (p) => progress.push(p) })).toBe(5)
    expect(progress).toEqual([
      { done: 0, total: 5 },
      { done: 2, total: 5 },
      { done: 4, total: 5 },
      { done: 5, total: 5 }
    ])
    // Finished messages only: m5 is still streaming.
    expect(Object.keys(await indexed(db)).sort()).toEqual(['m1', 'm2', 'm3', 'm4'])
    expect(await found(db, 'rami')).toEqual(['m2'])
    // m5 is passed over; finishing it will raise its seq above the watermark.
    expect(await searchIndexReady(db)).toBe(true)
    expect(await catchUpSearchIndex(db)).toBe(0)
    db.close()
  })

  it('indexes every row a history rebuild wrote, though they all carry the snapshot\'s one seq and fill several chunks', async () => {
    const db = freshDatabase()
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    await writeEvents(db, main.published)
    // A rebuild (history-rebuild.ts) writes every row of a snapshot with the snapshot's seq as its watermark.
    const rows = Array.from({ length: 7 }, (_, i) => ({ ...userMessage('s1', `u${i}`, `word${i} here`), seq: 40, createdSeq: i + 1 }))
    await db.messages.bulkPut(rows)
    expect(await catchUpSearchIndex(db, { chunk: 3 })).toBe(7)
    expect(Object.keys(await indexed(db)).sort()).toEqual(rows.map((row) => row.id).sort())
    for (let i = 0; i < 7; i++) expect(await found(db, `word${i}`)).toEqual([`u${i}`])
    expect(await searchIndexReady(db)).toBe(true)
  })

  it("a search between two passes through a rebuild's rows finds what the second indexed (the watermark's id moved, not its seq)", async () => {
    const db = freshDatabase()
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    await writeEvents(db, main.published)
    await db.messages.bulkPut(Array.from({ length: 6 }, (_, i) => ({ ...userMessage('s1', `u${i}`, `word${i} here`), seq: 40, createdSeq: i + 1 })))
    expect(await indexNextMessages(db, 3)).toBe(3)
    // This search keeps the open chunk as it was then (chunk-cache.ts).
    expect(await found(db, 'word0')).toEqual(['u0'])
    expect(await indexNextMessages(db, 3)).toBe(3)
    expect(await found(db, 'word5')).toEqual(['u5'])
  })

  it('builds again when the words it was made with are out of date', async () => {
    const db = freshDatabase()
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    main.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hello there') })
    await writeEvents(db, main.published)
    await catchUpSearchIndex(db)
    await db.meta.put({ key: searchIndexKey, value: 0 })
    expect(await catchUpSearchIndex(db)).toBe(1)
    // Built again from nothing: the message is in the index once.
    expect((await db.searchChunks.toArray()).flatMap((row) => row.messageIds)).toEqual(['u1'])
    expect(await indexed(db)).toEqual({ u1: ['hello'] })
  })
})
