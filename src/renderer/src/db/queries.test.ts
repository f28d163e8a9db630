import { describe, expect, it } from 'vitest'
import { freshDatabase } from '../testing/history-fixtures'
import { messageCount, messagesFrom, pageStart, recentSessions } from './queries'
import type { MessageRow } from './schema'

function row(id: string, sessionId: string, createdAt: number, createdSeq: number): MessageRow {
  return {
    id,
    sessionId,
    runId: `run-${id}`,
    role: 'user',
    parts: [{ type: 'text', text: id }],
    status: 'finished',
    createdAt,
    seq: createdSeq,
    createdSeq
  }
}

async function tenMessages() {
  const db = freshDatabase()
  await db.messages.bulkPut([
    ...Array.from({ length: 10 }, (_, i) => row(`m${i}`, 's1', 100 + i, i + 1)),
    row('other', 's2', 105, 50)
  ])
  return db
}

describe('queries', () => {
  it('sorts sessions by last activity, newest first', async () => {
    const db = freshDatabase()
    await db.sessions.bulkPut([
      { id: 'old', title: null, createdAt: 1, updatedAt: 10, seq: 1 },
      { id: 'new', title: null, createdAt: 2, updatedAt: 30, seq: 2 },
      { id: 'mid', title: null, createdAt: 3, updatedAt: 20, seq: 3 }
    ])
    expect((await recentSessions(db)).map((session) => session.id)).toEqual(['new', 'mid', 'old'])
  })

  it('counts one session\'s messages only', async () => {
    const db = await tenMessages()
    expect(await messageCount(db, 's1')).toBe(10)
    expect(await messageCount(db, 's2')).toBe(1)
    expect(await messageCount(db, 'none')).toBe(0)
  })

  it("reads a session's last page, then older pages as the reader scrolls up", async () => {
    const db = await tenMessages()
    const last = await pageStart(db, 's1', undefined, 4)
    const page = await messagesFrom(db, 's1', last)
    expect(page.messages.map((message) => message.id)).toEqual(['m6', 'm7', 'm8', 'm9'])
    expect(page.hasOlder).toBe(true)

    const older = await pageStart(db, 's1', last, 4)
    expect((await messagesFrom(db, 's1', older)).messages.map((message) => message.id)).toEqual([
      'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'
    ])
    const rest = await pageStart(db, 's1', older, 4)
    expect(rest).toBe(Number.NEGATIVE_INFINITY)
    const all = await messagesFrom(db, 's1', rest)
    expect(all.messages).toHaveLength(10)
    expect(all.hasOlder).toBe(false)
  })

  it('keeps the start of the list fixed when new messages arrive', async () => {
    const db = await tenMessages()
    const start = await pageStart(db, 's1', undefined, 3)
    await db.messages.put(row('m10', 's1', 200, 11))
    expect((await messagesFrom(db, 's1', start)).messages.map((message) => message.id)).toEqual(['m7', 'm8', 'm9', 'm10'])
  })

  it('keeps creation order for messages made in the same millisecond', async () => {
    const db = freshDatabase()
    // Ids that sort the wrong way round: the index alone would put the answer first.
    await db.messages.bulkPut([row('zz-user', 's1', 100, 1), row('aa-answer', 's1', 100, 2)])
    const start = await pageStart(db, 's1', undefined, 10)
    expect((await messagesFrom(db, 's1', start)).messages.map((message) => message.id)).toEqual(['zz-user', 'aa-answer'])
  })

  it('reaches down to the session\'s leaf when it is older than the page (a branch switched to an old message)', async () => {
    const db = await tenMessages()
    await db.sessions.put({ id: 's1', title: null, createdAt: 1, updatedAt: 1, seq: 1, leafId: 'm2', leafSeq: 20 })
    const start = await pageStart(db, 's1', undefined, 3)
    const page = await messagesFrom(db, 's1', start)
    expect(page.leafId).toBe('m2')
    expect(page.start).toBe(102)
    expect(page.messages.map((message) => message.id)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'])
    expect(page.hasOlder).toBe(true)
  })
})
