import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Message, Session } from '../../../shared'
import { EventBroker } from '../events/event-broker'
import { scanIsCheaper, type SessionActivity } from './log-view'
import { SessionLog } from './session-log'

const logs: SessionLog[] = []
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close()
})

async function openLog(): Promise<{ log: SessionLog; broker: EventBroker }> {
  const log = await SessionLog.open(join(mkdtempSync(join(tmpdir(), 'parley-view-')), 'session-log'))
  logs.push(log)
  const broker = new EventBroker()
  log.attach(broker)
  return { log, broker }
}

const session = (id: string): Session => ({ id, title: id, createdAt: 1, updatedAt: 1 })
const message = (id: string, sessionId: string, createdAt: number, status: Message['status'] = 'finished'): Message => ({
  id,
  sessionId,
  runId: `run-${id}`,
  role: 'user',
  parts: [{ type: 'text', text: `text of ${id}` }],
  status,
  createdAt
})

/**
 * Chats `c0`…`c{chats - 1}`, chat `ci` with `perChat(i)` messages committed (created at 100·i + n), then in `c0` one
 * message not committed yet (pending, created at 5,000) and an answer still streaming (5,001); `empty` has none.
 */
async function history(chats: number, perChat: (chat: number) => number): Promise<{ log: SessionLog; ids: string[] }> {
  const { log, broker } = await openLog()
  const ids = ['empty', ...Array.from({ length: chats }, (_, i) => `c${i}`)]
  for (const id of ids) broker.publish({ type: 'session.created', session: session(id) })
  for (let chat = 0; chat < chats; chat++) {
    for (let n = 0; n < perChat(chat); n++) broker.publish({ type: 'message.created', message: message(`c${chat}-m${n}`, `c${chat}`, 100 * chat + n) })
  }
  await log.written()
  broker.publish({ type: 'message.created', message: message('c0-pending', 'c0', 5_000) })
  broker.publish({ type: 'message.created', message: message('c0-open', 'c0', 5_001, 'streaming') })
  broker.publish({ type: 'message.delta', sessionId: 'c0', messageId: 'c0-open', text: 'so far' })
  return { log, ids }
}

function expected(chats: number, perChat: (chat: number) => number): Map<string, SessionActivity> {
  const found = new Map<string, SessionActivity>([['empty', { count: 0, lastCreatedAt: undefined }]])
  for (let chat = 0; chat < chats; chat++) {
    const count = perChat(chat)
    found.set(`c${chat}`, { count, lastCreatedAt: count === 0 ? undefined : 100 * chat + count - 1 })
  }
  const first = found.get('c0') as SessionActivity
  found.set('c0', { count: first.count + 2, lastCreatedAt: 5_001 })
  return found
}

describe('LogView.activity', () => {
  it('counts each chat\'s messages and finds its newest one, from one pass over the keys when chats are short', async () => {
    const perChat = (chat: number) => chat % 3
    const { log, ids } = await history(30, perChat)
    expect(scanIsCheaper(30, ids.length)).toBe(true)
    const view = log.view()
    try {
      expect(view.activity(ids)).toEqual(expected(30, perChat))
      // Only the chats asked for, and a chat the store doesn't know has no messages.
      expect(view.activity(['c4', 'nobody'])).toEqual(new Map([['c4', { count: 1, lastCreatedAt: 400 }], ['nobody', { count: 0, lastCreatedAt: undefined }]]))
    } finally {
      view.done()
    }
  })

  it('gives the same from each chat\'s own reads when chats are long', async () => {
    const perChat = (chat: number) => (chat === 1 ? 60 : chat)
    const { log, ids } = await history(4, perChat)
    expect(scanIsCheaper(60 + 1 + 2 + 3, ids.length)).toBe(false)
    const view = log.view()
    try {
      expect(view.activity(ids)).toEqual(expected(4, perChat))
    } finally {
      view.done()
    }
  })

  it('counts a pending message once when the store has an older copy of it', async () => {
    const { log, broker } = await openLog()
    broker.publish({ type: 'session.created', session: session('s') })
    broker.publish({ type: 'message.created', message: message('a', 's', 7, 'streaming') })
    await log.written()
    broker.publish({ type: 'message.delta', sessionId: 's', messageId: 'a', text: 'more' })
    const view = log.view()
    try {
      expect(view.activity(['s'])).toEqual(new Map([['s', { count: 1, lastCreatedAt: 7 }]]))
    } finally {
      view.done()
    }
  })

  it('scans the keys only while the store holds at most ten messages a chat', () => {
    expect(scanIsCheaper(100_000, 50_000)).toBe(true)
    expect(scanIsCheaper(100_000, 10_000)).toBe(true)
    expect(scanIsCheaper(100_001, 10_000)).toBe(false)
    expect(scanIsCheaper(10_000, 12)).toBe(false)
  })
})
