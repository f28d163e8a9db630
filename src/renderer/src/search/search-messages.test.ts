import { describe, expect, it } from 'vitest'
import type { EventBody } from '../../../shared'
import { writeEvents } from '../db/row-writes'
import type { ParleyDatabase } from '../db/schema'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { assistantMessage, freshDatabase, userMessage } from '../testing/history-fixtures'
import { catchUpSearchIndex } from './search-index'
import { chunkSize } from './search-chunks'
import { answeredEarly, newestSample, searchMessages, type SearchResults } from './search-messages'

/** Three chats, written the way the applier writes main's events. */
async function seeded(): Promise<ParleyDatabase> {
  const main = new FakeParleyApi()
  const chat = (id: string, title: string | null): EventBody => ({ type: 'session.created', session: { id, title, createdAt: 1, updatedAt: 1 } })
  main.publish(chat('trip', 'Trip to Lisbon'))
  main.publish(chat('food', 'Dinner ideas'))
  main.publish(chat('blank', null))
  main.publish({ type: 'message.created', message: userMessage('trip', 't1', 'Plan a walk through Lisbon, please.', 10) })
  main.publish({ type: 'message.created', message: userMessage('trip', 't2', 'What about Lisbon trams?', 30) })
  main.publish({ type: 'message.created', message: userMessage('food', 'f1', 'A Lisbon café with pastéis de nata', 20) })
  main.publish({ type: 'message.created', message: userMessage('food', 'f2', 'A walk after dinner in Lisbon', 5) })
  main.publish({ type: 'message.created', message: userMessage('blank', 'b1', 'LISTS of things', 40) })
  main.publish({ type: 'message.created', message: assistantMessage('blank', 'b2', 50) })
  const db = freshDatabase()
  await writeEvents(db, main.published)
  await catchUpSearchIndex(db)
  return db
}

const ids = (results: SearchResults): string[][] => results.chats.map((chat) => [chat.sessionId, ...chat.hits.map((hit) => hit.messageId)])

describe('searchMessages', () => {
  it('matches prefixes, case and accents aside, newest first, grouped by chat with its title', async () => {
    const db = await seeded()
    const results = await searchMessages(db, 'LIS')
    expect(ids(results)).toEqual([
      ['blank', 'b1'],
      ['trip', 't2', 't1'],
      ['food', 'f1', 'f2']
    ])
    expect(results.chats.map((chat) => chat.title)).toEqual([null, 'Trip to Lisbon', 'Dinner ideas'])
    expect(results.matched).toBe(5)
    expect(ids(await searchMessages(db, 'pasteis'))).toEqual([['food', 'f1']])
    expect(ids(await searchMessages(db, 'CAFE'))).toEqual([['food', 'f1']])
  })

  it('answers before its transaction closes, and what runs after it is outside that transaction', async () => {
    const db = await seeded()
    expect(ids(await searchMessages(db, 'pasteis'))).toEqual([['food', 'f1']])
    // A table the search's read-only transaction doesn't hold: read in it, this threw NotFoundError.
    expect(await db.thumbnails.toArray()).toEqual([])
    await db.meta.put({ key: 'after-search', value: 1 })
    expect((await db.meta.get('after-search'))?.value).toBe(1)
  })

  it('ranks messages with every word first, then by recency', async () => {
    const db = await seeded()
    const results = await searchMessages(db, 'walk lisb')
    // f2 and t1 hold both words (t1 is newer); the rest hold one.
    expect(results.chats.flatMap((chat) => chat.hits.map((hit) => [hit.messageId, hit.allWords]))).toEqual([
      ['t1', true],
      ['t2', false],
      ['f2', true],
      ['f1', false]
    ])
    expect(ids(results)).toEqual([
      ['trip', 't1', 't2'],
      ['food', 'f2', 'f1']
    ])
  })

  it('marks what matched in each snippet', async () => {
    const db = await seeded()
    const [chat] = (await searchMessages(db, 'tram')).chats
    expect(chat?.hits[0]?.snippet).toEqual([
      { text: 'What about Lisbon ', marked: false },
      { text: 'tram', marked: true },
      { text: 's?', marked: false }
    ])
  })

  it('answers at most `limit` hits, the best ones', async () => {
    const db = await seeded()
    expect(ids(await searchMessages(db, 'lis', { limit: 2 }))).toEqual([
      ['blank', 'b1'],
      ['trip', 't2']
    ])
  })

  it('leaves out hidden chats and messages (deletions waiting out their Undo)', async () => {
    const db = await seeded()
    expect(ids(await searchMessages(db, 'lisbon', { hidden: new Set(['trip', 'f2']) }))).toEqual([['food', 'f1']])
  })

  it("takes the titles of the chats the sidebar holds from its list, and reads only the others' from Dexie", async () => {
    const db = await seeded()
    const read: string[][] = []
    const bulkGet = db.sessions.bulkGet.bind(db.sessions)
    db.sessions.bulkGet = ((keys: string[]) => {
      read.push([...keys])
      return bulkGet(keys)
    }) as typeof db.sessions.bulkGet
    const listed = new Map([['trip', { title: 'Trip to Lisbon (as the sidebar shows it)' }]])
    const results = await searchMessages(db, 'lisbon', { listed })
    expect(results.chats.map((chat) => [chat.sessionId, chat.title])).toEqual([
      ['trip', 'Trip to Lisbon (as the sidebar shows it)'],
      ['food', 'Dinner ideas']
    ])
    expect(read).toEqual([['food']])
  })

  it('finds a word in the middle of Chinese or Japanese text, which has no spaces, and marks it', async () => {
    const main = new FakeParleyApi()
    main.publish({ type: 'session.created', session: { id: 'zh', title: '模型', createdAt: 1, updatedAt: 1 } })
    main.publish({ type: 'message.created', message: userMessage('zh', 'z1', '我喜欢用本地模型写代码。', 10) })
    main.publish({ type: 'message.created', message: userMessage('zh', 'z2', '今日はローカルモデルを使います', 20) })
    main.publish({ type: 'message.created', message: userMessage('zh', 'z3', '地图和模特，这个模型很快', 30) })
    const db = freshDatabase()
    await writeEvents(db, main.published)
    await catchUpSearchIndex(db)
    const found = await searchMessages(db, '模型')
    expect(ids(found)).toEqual([['zh', 'z3', 'z1']])
    expect(found.chats[0]?.hits[1]?.snippet.filter((part) => part.marked).map((part) => part.text)).toEqual(['模型'])
    expect(ids(await searchMessages(db, 'モデル'))).toEqual([['zh', 'z2']])
    // Every pair held ranks first; a message with some (模型) shows after; one with the characters apart (地, 模) not.
    const hits = (await searchMessages(db, '本地模型')).chats.flatMap((chat) => chat.hits.map((hit) => [hit.messageId, hit.allWords]))
    expect(hits).toEqual([
      ['z1', true],
      ['z3', false]
    ])
  })

  it('finds nothing for an empty query, or a word nobody wrote', async () => {
    const db = await seeded()
    expect(await searchMessages(db, '  ')).toEqual({ chats: [], matched: 0 })
    expect(await searchMessages(db, 'zebra')).toEqual({ chats: [], matched: 0 })
    // One letter is a whole word, and "a" is a stop word the index leaves out: not every word starting with a.
    expect(ids(await searchMessages(db, 'a'))).toEqual([])
    // A finished stop word in a query with other words is left out of it.
    expect(ids(await searchMessages(db, 'the walk'))).toEqual([
      ['trip', 't1'],
      ['food', 'f2']
    ])
  })

  it('answers a common prefix from the newest chunks, without reading every hit', async () => {
    const main = new FakeParleyApi()
    main.publish({ type: 'session.created', session: { id: 's', title: 'Many', createdAt: 1, updatedAt: 1 } })
    // Two full chunks and a short one: "lisbon" in every third message, "list" in every third, "lisp" in the rest.
    const count = 2 * chunkSize + newestSample - 50
    const words = ['lisbon', 'list', 'lisp']
    for (let i = 0; i < count; i++) main.publish({ type: 'message.created', message: userMessage('s', `m${i}`, `${words[i % 3]} ${i}`, 100 + i) })
    const db = freshDatabase()
    await writeEvents(db, main.published)
    await catchUpSearchIndex(db)
    const results = await searchMessages(db, 'lis', { limit: 50 })
    const expected = Array.from({ length: 50 }, (_, i) => `m${count - 1 - i}`)
    expect(results.chats.flatMap((chat) => chat.hits.map((hit) => hit.messageId))).toEqual(expected)
    // Only the newest chunk was read: it held 50 hits.
    expect(results.matched).toBe(count - 2 * chunkSize)
  })

  it('finds rare words, and messages with every word, in chunks far older than the newest', async () => {
    const main = new FakeParleyApi()
    main.publish({ type: 'session.created', session: { id: 's', title: 'Long', createdAt: 1, updatedAt: 1 } })
    const count = 3 * chunkSize + 300
    // "alpha" in every message; "omega" in four old ones and the newest; "zephyr" only in m7 and m20.
    const omega = new Set([3, 7, 20, 40, count - 1])
    for (let i = 0; i < count; i++) {
      const text = ['alpha', `n${i}`, omega.has(i) ? 'omega' : '', i === 7 || i === 20 ? 'zephyr' : 'filler'].join(' ')
      main.publish({ type: 'message.created', message: userMessage('s', `m${i}`, text, 100 + i) })
    }
    const db = freshDatabase()
    await writeEvents(db, main.published)
    await catchUpSearchIndex(db)
    const found = async (query: string, limit = 50): Promise<string[]> =>
      (await searchMessages(db, query, { limit })).chats.flatMap((chat) => chat.hits.map((hit) => hit.messageId))
    expect(await found('zephyr')).toEqual(['m20', 'm7'])
    expect(await found('zeph')).toEqual(['m20', 'm7'])
    // Every message with both words first (the rarer word's postings, the common word checked in the rows), then the
    // newest with one.
    expect(await found('alpha omeg', 7)).toEqual([`m${count - 1}`, 'm40', 'm20', 'm7', 'm3', `m${count - 2}`, `m${count - 3}`])
    expect(await found('zephyr omega alpha')).toEqual(expect.arrayContaining(['m20', 'm7']))
    expect((await found('zephyr omega alpha')).slice(0, 2)).toEqual(['m20', 'm7'])
  })

  it('never shows a message whose row is gone or no longer says what the entry says', async () => {
    const db = await seeded()
    await db.messages.delete('t2')
    await db.messages.update('t1', { parts: [{ type: 'text', text: 'Plan a walk through Porto.' }] })
    expect(ids(await searchMessages(db, 'lisbon'))).toEqual([['food', 'f1', 'f2']])
  })
})

describe('answeredEarly', () => {
  it('answers as soon as the work hands its value over, before the work (a transaction closing) has ended', async () => {
    let end: () => void = () => undefined
    const ended = new Promise<void>((resolve) => (end = resolve))
    let closed = false
    const answer = answeredEarly<number>(async (give) => {
      give(42)
      await ended
      closed = true
    })
    expect(await answer).toBe(42)
    expect(closed).toBe(false)
    end()
  })

  it("fails with the work's failure when it fails before answering, and says so when it ends with no answer", async () => {
    await expect(answeredEarly(() => Promise.reject(new Error('QuotaExceeded')))).rejects.toThrow('QuotaExceeded')
    await expect(answeredEarly(async () => undefined)).rejects.toThrow('the search ended without an answer')
  })
})
