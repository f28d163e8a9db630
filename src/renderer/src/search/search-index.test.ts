import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import { EventApplier } from '../db/applier'
import * as v1 from '../db/fixtures/schema-v1'
import { writeEvents } from '../db/row-writes'
import { ParleyDatabase, searchIndexKey } from '../db/schema'
import { StreamingStore } from '../db/streaming-store'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { assistantMessage, delta, finished, freshDatabase, sessionCreated, userMessage } from '../testing/history-fixtures'
import { entryOf, rebuildSearchIndex, searchIndexReady, type IndexProgress } from './search-index'

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

/** Message id → its indexed words. */
async function indexed(db: ParleyDatabase): Promise<Record<string, string[]>> {
  return Object.fromEntries((await db.searchEntries.toArray()).map((entry) => [entry.messageId, entry.words]))
}

describe('the search index, kept by the applier', () => {
  it('indexes a prompt at once, and an answer only when it finishes (not its streamed checkpoints)', async () => {
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
    expect(await indexed(db)).toEqual({ u1: ['where', 'is', 'lisbon'] })

    const done = api.publish({ type: 'message.finished', message: finished(answer, 'Portugal, on the Tagus río.') })
    await applier.committedThrough(done.seq)
    expect(await indexed(db)).toEqual({ u1: ['where', 'is', 'lisbon'], a1: ['portugal', 'on', 'the', 'tagus', 'rio'] })
    expect(await db.searchEntries.get([3, 's1', 'a1'])).toMatchObject({ createdAt: 3, sessionId: 's1' })
  })

  it('deleted messages and deleted chats leave the index with their rows', async () => {
    const api = new FakeParleyApi()
    const db = freshDatabase()
    const applier = await startApplier(db, api)
    api.publish(sessionCreated('s1'))
    api.publish(sessionCreated('s2'))
    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'keep me') })
    api.publish({ type: 'message.created', message: userMessage('s1', 'u2', 'drop me') })
    api.publish({ type: 'message.created', message: userMessage('s2', 'u3', 'whole chat goes') })
    const last = api.publish({ type: 'messages.deleted', sessionId: 's1', messageIds: ['u2'], leafId: 'u1' })
    await applier.committedThrough(last.seq)
    expect(Object.keys(await indexed(db)).sort()).toEqual(['u1', 'u3'])
    const gone = api.publish({ type: 'session.deleted', sessionId: 's2' })
    await applier.committedThrough(gone.seq)
    expect(Object.keys(await indexed(db))).toEqual(['u1'])
  })

  it('writes nothing twice: a replayed finished answer leaves the same entry', async () => {
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    const answer = assistantMessage('s1', 'a1')
    main.publish({ type: 'message.created', message: answer })
    main.publish({ type: 'message.finished', message: finished(answer, 'Final words') })
    const db = freshDatabase()
    await writeEvents(db, main.published)
    await writeEvents(db, main.published)
    expect(await db.searchEntries.toArray()).toEqual([{ createdAt: 3, sessionId: 's1', messageId: 'a1', words: ['final', 'words'] }])
  })

  it('has no entry for a streaming message or one without words', () => {
    expect(entryOf(assistantMessage('s1', 'a1'))).toBeUndefined()
    expect(entryOf(userMessage('s1', 'u1', ' … '))).toBeUndefined()
  })
})

describe('rebuilding the search index from Dexie', () => {
  it('indexes a version 1 database after the upgrade, in chunks with progress, once', async () => {
    const name = `parley-search-v1-${Math.random()}`
    await v1.createDatabase(name, { indexedDB, IDBKeyRange })
    const db = new ParleyDatabase(name, { indexedDB, IDBKeyRange })
    expect(await searchIndexReady(db)).toBe(false)
    const progress: IndexProgress[] = []
    expect(await rebuildSearchIndex(db, { chunk: 2, onProgress: (p) => progress.push(p) })).toBe(true)
    expect(progress).toEqual([
      { done: 0, total: 5 },
      { done: 2, total: 5 },
      { done: 4, total: 5 },
      { done: 5, total: 5 }
    ])
    // Finished messages only: m5 is still streaming.
    expect(Object.keys(await indexed(db)).sort()).toEqual(['m1', 'm2', 'm3', 'm4'])
    expect((await db.searchEntries.where('words').startsWith('rami').toArray()).map((entry) => entry.messageId)).toEqual(['m2'])
    expect(await searchIndexReady(db)).toBe(true)
    expect(await rebuildSearchIndex(db)).toBe(false)
    db.close()
  })

  it('builds again when the words it was made with are out of date', async () => {
    const db = freshDatabase()
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    main.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hello there') })
    await writeEvents(db, main.published)
    await db.searchEntries.clear()
    await db.meta.put({ key: searchIndexKey, value: 0 })
    expect(await rebuildSearchIndex(db)).toBe(true)
    expect(await indexed(db)).toEqual({ u1: ['hello', 'there'] })
  })
})
