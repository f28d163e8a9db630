import { describe, expect, it } from 'vitest'
import type { EventBody } from '../../../shared'
import { writeEvents } from '../db/row-writes'
import type { ParleyDatabase } from '../db/schema'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { freshDatabase, userMessage } from '../testing/history-fixtures'
import { readNewestSample } from './newest-sample'
import { chunkSize } from './search-chunks'
import { catchUpSearchIndex } from './search-index'
import { newestSample, searchMessages, searchNewest, type SearchOptions } from './search-messages'

const chat = (id: string, title: string | null): EventBody => ({ type: 'session.created', session: { id, title, createdAt: 1, updatedAt: 1 } })

/** `count` messages in two chats, written and indexed as the app does: "alpha" in each, "omega" in a few old ones. */
async function indexed(count: number, text: (i: number) => string = (i) => `alpha n${i} ${i % 97 === 3 ? 'omega' : 'filler'}`): Promise<ParleyDatabase> {
  const main = new FakeParleyApi()
  main.publish(chat('even', 'Even'))
  main.publish(chat('odd', null))
  for (let i = 0; i < count; i++) main.publish({ type: 'message.created', message: userMessage(i % 2 ? 'odd' : 'even', `m${i}`, text(i), 100 + i) })
  const db = freshDatabase()
  await writeEvents(db, main.published)
  await catchUpSearchIndex(db)
  return db
}

describe('searchNewest (a typed key answered from the newest chunks, read ahead)', () => {
  it('answers what the IndexedDB search answers, for every query, when the whole index is in the sample', async () => {
    const db = await indexed(300)
    const sample = await readNewestSample(db)
    const cases: [string, SearchOptions][] = [
      ['alpha', {}],
      ['al', { limit: 7 }],
      ['omega', {}],
      ['alpha omeg', { limit: 5 }],
      ['n29', {}],
      ['zebra', {}],
      ['', {}],
      ['alpha', { hidden: new Set(['odd', 'm298']) }],
      ['alpha', { listed: new Map([['even', { title: 'Even, as the sidebar has it' }]]) }]
    ]
    for (const [query, options] of cases) {
      const now = searchNewest(sample, query, options)
      expect(now, query).toBeDefined()
      expect(now, query).toEqual(await searchMessages(db, query, options))
    }
    expect(searchNewest(sample, 'alpha', { limit: 3 })?.chats.map((found) => [found.title, found.hits.map((hit) => hit.messageId)])).toEqual([
      [null, ['m299', 'm297']],
      ['Even', ['m298']]
    ])
  })

  it('answers a common word from the newest chunks of a large index, and leaves a rare one to IndexedDB', async () => {
    const db = await indexed(3 * chunkSize + 100)
    const sample = await readNewestSample(db)
    // The open chunk (100 messages) is under `newestSample`: the full one before it is read too, and no more.
    expect([...sample.chunks.keys()]).toEqual([4, 3])
    expect(sample.rows.size).toBe(chunkSize + 100)
    expect(newestSample).toBeLessThan(chunkSize + 100)
    for (const query of ['alpha', 'alp', 'n1', 'alpha n15']) {
      const now = searchNewest(sample, query)
      expect(now, query).toBeDefined()
      expect(now, query).toEqual(await searchMessages(db, query))
    }
    // "omega" is in a few messages of every chunk: its older hits are in postings the sample doesn't hold.
    expect(searchNewest(sample, 'omega')).toBeUndefined()
    expect((await searchMessages(db, 'omega')).chats.flatMap((found) => found.hits).length).toBeGreaterThan(10)
  })

  it('takes a chat\'s title from the sidebar first, and leaves out a chat that is gone', async () => {
    const db = await indexed(20)
    await db.sessions.delete('odd')
    const sample = await readNewestSample(db)
    const found = searchNewest(sample, 'alpha', { listed: new Map([['even', { title: 'Renamed' }]]) })
    expect(found?.chats.map((group) => [group.sessionId, group.title, group.hits.length])).toEqual([['even', 'Renamed', 10]])
  })

  it('answers nothing while nothing is indexed, and never answers from a sample that lacks a chunk it needs', async () => {
    expect(searchNewest(await readNewestSample(freshDatabase()), 'alpha')).toEqual({ chats: [], matched: 0 })
    const db = await indexed(2 * chunkSize + 10)
    const sample = await readNewestSample(db)
    const missing = new Map(sample.chunks)
    missing.delete(2)
    expect(searchNewest({ ...sample, chunks: missing }, 'alpha')).toBeUndefined()
    expect(searchNewest({ ...sample, chunks: new Map() }, 'alpha')).toBeUndefined()
  })

  it('reads a row again as it is now: an edited message is not found by its old words', async () => {
    const db = await indexed(30)
    await db.messages.update('m29', { parts: [{ type: 'text', text: 'nothing here' }] })
    const found = searchNewest(await readNewestSample(db), 'alpha', { limit: 1 })
    expect(found?.chats[0]?.hits.map((hit) => hit.messageId)).toEqual(['m28'])
  })
})
