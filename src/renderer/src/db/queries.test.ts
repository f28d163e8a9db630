import { describe, expect, it } from 'vitest'
import { freshDatabase } from '../testing/history-fixtures'
import { messageCount, recentSessions } from './queries'
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
})
