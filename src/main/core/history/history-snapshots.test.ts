import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyError, type HistoryPage, type Message, type Session } from '../../../shared'
import { EventBroker } from '../events/event-broker'
import { HistorySnapshots } from './history-snapshots'
import { SessionLog } from './session-log'

const logs: SessionLog[] = []
const snapshotSets: HistorySnapshots[] = []
afterEach(async () => {
  for (const snapshots of snapshotSets.splice(0)) snapshots.close()
  for (const log of logs.splice(0)) await log.close()
})

const message = (id: string, sessionId: string, text: string, status: Message['status'] = 'finished', createdAt = 1): Message => ({
  id,
  sessionId,
  runId: `run-${id}`,
  role: id.startsWith('u') ? 'user' : 'assistant',
  parts: [{ type: 'text', text }],
  status,
  createdAt
})

const session = (id: string): Session => ({ id, title: `Chat ${id}`, createdAt: 1, updatedAt: 1 })

interface Setup {
  log: SessionLog
  broker: EventBroker
  sessions: Session[]
  snapshots: (limits?: { rows: number; textChars: number }) => HistorySnapshots
}

async function setup(): Promise<Setup> {
  const log = await SessionLog.open(join(mkdtempSync(join(tmpdir(), 'parley-snap-')), 'session-log'))
  logs.push(log)
  const broker = new EventBroker()
  log.attach(broker)
  const sessions: Session[] = []
  return {
    log,
    broker,
    sessions,
    snapshots(limits) {
      const snapshots = new HistorySnapshots({ log, sessions: () => sessions, ...(limits ? { limits } : {}) })
      broker.subscribe({ since: broker.lastSeq }, (event) => snapshots.take(event))
      snapshotSets.push(snapshots)
      return snapshots
    }
  }
}

/** Two chats: s1 with 6 finished messages, s2 with a prompt and an answer still streaming. */
function writeHistory({ broker, sessions }: Setup): void {
  for (const id of ['s1', 's2']) {
    sessions.push(session(id))
    broker.publish({ type: 'session.created', session: session(id) })
  }
  for (let i = 0; i < 6; i++) broker.publish({ type: 'message.created', message: message(`${i % 2 ? 'a' : 'u'}${i}`, 's1', `text ${i}`, 'finished', 10 + i) })
  broker.publish({ type: 'message.created', message: message('u-s2', 's2', 'question', 'finished', 20) })
  broker.publish({ type: 'message.created', message: message('a-s2', 's2', '', 'streaming', 21) })
  broker.publish({ type: 'message.delta', sessionId: 's2', messageId: 'a-s2', text: 'so far' })
}

function readAll(snapshots: HistorySnapshots, first: HistoryPage): HistoryPage[] {
  const pages = [first]
  for (let next = first.next; next; ) {
    const page = snapshots.page(next)
    pages.push(page)
    next = page.next
  }
  return pages
}

/** Every page of a snapshot as one: its chats and messages in order. */
function joined(pages: HistoryPage[]): { seq: number[]; sessions: unknown[]; messages: unknown[] } {
  return {
    seq: [...new Set(pages.map((page) => page.seq))],
    sessions: pages.flatMap((page) => page.sessions),
    messages: pages.flatMap((page) => page.messages)
  }
}

describe('HistorySnapshots', () => {
  it('pages the whole history, bounded in size, each chat and message once, with totals and a next cursor', async () => {
    const setup0 = await setup()
    writeHistory(setup0)
    const snapshots = setup0.snapshots({ rows: 3, textChars: 1_000 })
    const pages = readAll(snapshots, snapshots.page(null))
    expect(pages.length).toBeGreaterThan(3)
    for (const page of pages) expect(page.sessions.length + page.messages.length).toBeLessThanOrEqual(3)
    const all = joined(pages)
    expect(all.seq).toEqual([setup0.log.appliedSeq])
    // The newest activity first (s2's answer is the newest message), and each chat's newest message first.
    expect(all.sessions).toMatchObject([{ id: 's2', leafId: 'a-s2', updatedAt: 21 }, { id: 's1', leafId: 'a5', updatedAt: 15 }])
    const ids = pages.flatMap((page) => page.messages.map((m) => m.message.id))
    expect(ids).toEqual(['a-s2', 'u-s2', 'a5', 'u4', 'a3', 'u2', 'a1', 'u0'])
    // Streamed text not yet checkpointed to the store is in the snapshot, as the log holds it.
    expect(pages[0]?.messages[0]?.message.parts).toEqual([{ type: 'text', text: 'so far' }])
    expect(pages[0]?.totals).toEqual({ sessions: 2, messages: 8 })
    expect(pages.at(-1)?.next).toBeNull()
    // The last page lets the snapshot go.
    expect(snapshots.openCount).toBe(0)
  })

  it('a text budget cuts pages, but a message bigger than the budget still goes, alone', async () => {
    const setup0 = await setup()
    setup0.sessions.push(session('s1'))
    setup0.broker.publish({ type: 'session.created', session: session('s1') })
    for (let i = 0; i < 4; i++) setup0.broker.publish({ type: 'message.created', message: message(`m${i}`, 's1', 'x'.repeat(i === 1 ? 500 : 40)) })
    const snapshots = setup0.snapshots({ rows: 100, textChars: 100 })
    const pages = readAll(snapshots, snapshots.page(null))
    expect(pages.map((page) => page.messages.map((m) => m.message.id))).toEqual([['m3', 'm2'], ['m1'], ['m0']])
  })

  it('is consistent under concurrent writes: pages read later are the history at the first page\'s seq', async () => {
    const setup0 = await setup()
    writeHistory(setup0)
    // The same moment, read whole at once: what every paged read of it must add up to.
    const whole = setup0.snapshots({ rows: 10_000, textChars: 10_000_000 })
    const paged = setup0.snapshots({ rows: 2, textChars: 1_000 })
    const wholeFirst = whole.page(null)
    const first = paged.page(null)
    expect(wholeFirst.next).toBeNull()

    const { broker, sessions, log } = setup0
    broker.publish({ type: 'message.delta', sessionId: 's2', messageId: 'a-s2', text: ' and more' })
    broker.publish({ type: 'message.finished', message: message('a-s2', 's2', 'so far and more, done') })
    broker.publish({ type: 'message.created', message: message('u9', 's1', 'a later prompt') })
    broker.publish({ type: 'session.branch', sessionId: 's1', leafId: 'a3' })
    broker.publish({ type: 'messages.deleted', sessionId: 's1', messageIds: ['u4', 'a5'], leafId: 'a3' })
    sessions.push(session('s3'))
    broker.publish({ type: 'session.created', session: session('s3') })
    broker.publish({ type: 'message.created', message: message('u-s3', 's3', 'new chat') })
    // The writes are committed to the store before the rest is read.
    await log.settled()

    const pages = readAll(paged, first)
    expect(joined(pages)).toEqual(joined([wholeFirst]))
    expect(joined(pages).seq).toEqual([first.seq])
    expect(first.seq).toBeLessThan(log.appliedSeq)

    // A snapshot made now has all of it (every chat's last activity is at 1 now: they keep the chat list's order).
    const now = joined([setup0.snapshots().page(null)])
    expect(now.messages.map((m) => (m as { message: Message }).message.id)).toEqual(['u9', 'a3', 'u2', 'a1', 'u0', 'a-s2', 'u-s2', 'u-s3'])
  })

  it('a deleted message is gone from a snapshot made before its removal is committed to the store', async () => {
    const setup0 = await setup()
    writeHistory(setup0)
    const snapshots = setup0.snapshots()
    await setup0.log.settled()
    setup0.broker.publish({ type: 'messages.deleted', sessionId: 's1', messageIds: ['u4', 'a5'], leafId: 'a3' })
    const page = snapshots.page(null)
    expect(page.messages.map((m) => m.message.id)).toEqual(['a-s2', 'u-s2', 'a3', 'u2', 'a1', 'u0'])
    expect(page.sessions.find((chat) => chat.id === 's1')?.leafId).toBe('a3')
  })

  it('a snapshot left unread, or let go, answers SnapshotExpired', async () => {
    const setup0 = await setup()
    writeHistory(setup0)
    const snapshots = setup0.snapshots({ rows: 2, textChars: 1_000 })
    const first = snapshots.page(null)
    snapshots.close()
    expect(() => snapshots.page(first.next)).toThrow(ParleyError)
    try {
      snapshots.page(first.next)
    } catch (error) {
      expect((error as ParleyError).code).toBe('SnapshotExpired')
    }
  })

  it('lists the chats as a first page shows them, without messages, the newest activity first, at most `limit`', async () => {
    const setup0 = await setup()
    writeHistory(setup0)
    // s3: created later than every message, no message of its own; s4: the same activity as s3, listed after it.
    for (const id of ['s3', 's4']) {
      const chat = { ...session(id), updatedAt: 30 }
      setup0.sessions.push(chat)
      setup0.broker.publish({ type: 'session.created', session: chat })
    }
    const snapshots = setup0.snapshots()
    const rows = joined(readAll(snapshots, snapshots.page(null))).sessions as { id: string; updatedAt: number }[]
    const listed = snapshots.chats()
    expect(listed.map((chat) => [chat.id, chat.updatedAt])).toEqual([['s3', 30], ['s4', 30], ['s2', 21], ['s1', 15]])
    // Each row as the snapshot has it (leaf, last activity from the newest message).
    expect([...listed].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...rows].sort((a, b) => a.id.localeCompare(b.id)))
    expect(snapshots.chats(1).map((chat) => chat.id)).toEqual(['s3'])
    // No snapshot is kept open for it.
    expect(snapshots.openCount).toBe(0)
    // Of a chat's own options, only its model: thousands of system prompts never go in one answer.
    const withOptions = { ...session('s5'), updatedAt: 40, options: { model: { providerId: 'p', model: 'm' }, systemPrompt: 'Long.' } }
    setup0.sessions.push(withOptions)
    expect(snapshots.chats(1)).toEqual([{ id: 's5', title: 'Chat s5', createdAt: 1, updatedAt: 40, leafId: null, model: { providerId: 'p', model: 'm' } }])
  })
  it('pages the chats the newest activity first, activity from a message too, ties in the chat list\'s order, as `chats()` lists them', async () => {
    const setup0 = await setup()
    const { broker, sessions } = setup0
    // quiet: touched at 5, no message; renamed: touched at 50; talked: touched at 1, but its message came at 100;
    // alsoRenamed: touched at 50 too, listed after renamed; alsoQuiet: at 5, listed after quiet.
    const touched: [string, number][] = [['quiet', 5], ['renamed', 50], ['talked', 1], ['alsoRenamed', 50], ['alsoQuiet', 5]]
    for (const [id, updatedAt] of touched) {
      const chat = { ...session(id), updatedAt }
      sessions.push(chat)
      broker.publish({ type: 'session.created', session: chat })
    }
    broker.publish({ type: 'message.created', message: message('u-talked', 'talked', 'hello', 'finished', 100) })
    broker.publish({ type: 'message.created', message: message('u-quiet', 'quiet', 'old words', 'finished', 2) })
    const expected = ['talked', 'renamed', 'alsoRenamed', 'quiet', 'alsoQuiet']
    // Whole, and paged two rows at a time (a chat and one message): the same order.
    for (const limits of [undefined, { rows: 2, textChars: 1_000 }]) {
      const snapshots = setup0.snapshots(limits)
      const pages = readAll(snapshots, snapshots.page(null))
      expect((joined(pages).sessions as { id: string }[]).map((chat) => chat.id)).toEqual(expected)
      expect(snapshots.chats().map((chat) => chat.id)).toEqual(expected)
    }
    // The first page opens with the newest chat and its message.
    const first = setup0.snapshots({ rows: 2, textChars: 1_000 }).page(null)
    expect(first.sessions.map((chat) => [chat.id, chat.updatedAt])).toEqual([['talked', 100]])
    expect(first.messages.map((m) => m.message.id)).toEqual(['u-talked'])
    // The order is the snapshot's: a chat that becomes active while it is read keeps its place in the later pages.
    const paged = setup0.snapshots({ rows: 2, textChars: 1_000 })
    const head = paged.page(null)
    broker.publish({ type: 'message.created', message: message('u-late', 'alsoQuiet', 'later', 'finished', 500) })
    const rest = readAll(paged, head)
    expect((joined(rest).sessions as { id: string }[]).map((chat) => chat.id)).toEqual(expected)
  })

  it('a chat longer than a page comes newest first across pages, each message once, pending ones in their place', async () => {
    const setup0 = await setup()
    const { broker, sessions, log } = setup0
    for (const id of ['long', 'other']) {
      sessions.push(session(id))
      broker.publish({ type: 'session.created', session: session(id) })
    }
    // long: u0, then a1 still streaming (open in the log: its newest text is not in the store), then u2..a9, with
    // another chat's messages made between them, all committed.
    broker.publish({ type: 'message.created', message: message('u0', 'long', 'text 0', 'finished', 10) })
    broker.publish({ type: 'message.created', message: message('a1', 'long', '', 'streaming', 11) })
    broker.publish({ type: 'message.delta', sessionId: 'long', messageId: 'a1', text: 'part one' })
    for (let i = 2; i < 10; i++) {
      broker.publish({ type: 'message.created', message: message(`${i % 2 ? 'a' : 'u'}${i}`, 'long', `text ${i}`, 'finished', 10 + i) })
      broker.publish({ type: 'message.created', message: message(`o${i}`, 'other', `other ${i}`, 'finished', i) })
    }
    await log.settled()
    // Written while the snapshot is made, not committed yet: more of a1's answer, and the two newest messages.
    broker.publish({ type: 'message.delta', sessionId: 'long', messageId: 'a1', text: ', part two' })
    broker.publish({ type: 'message.created', message: message('u10', 'long', 'text 10', 'finished', 20) })
    broker.publish({ type: 'message.created', message: message('a11', 'long', 'text 11', 'finished', 21) })

    const snapshots = setup0.snapshots({ rows: 4, textChars: 1_000 })
    const pages = readAll(snapshots, snapshots.page(null))
    const longIds = ['a11', 'u10', 'a9', 'u8', 'a7', 'u6', 'a5', 'u4', 'a3', 'u2', 'a1', 'u0']
    // The first page: the chat, then its three newest messages; the next pages go on with older ones.
    expect(pages[0]?.sessions.map((chat) => chat.id)).toEqual(['long'])
    expect(pages[0]?.messages.map((m) => m.message.id)).toEqual(['a11', 'u10', 'a9'])
    expect(pages[0]?.next).toMatchObject({ session: 0, beforeSeq: pages[0]?.messages[2]?.createdSeq })
    const all = joined(pages)
    const received = (all.messages as { message: Message; createdSeq: number }[]).filter(({ message }) => message.sessionId === 'long')
    expect(received.map(({ message }) => message.id)).toEqual(longIds)
    const seqs = received.map(({ createdSeq }) => createdSeq)
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a))
    // The streaming answer as the log holds it now, not as the store last had it.
    expect(received.find(({ message }) => message.id === 'a1')?.message.parts).toEqual([{ type: 'text', text: 'part one, part two' }])
    expect((all.sessions as { id: string }[]).map((chat) => chat.id)).toEqual(['long', 'other'])
    expect(pages[0]?.totals).toEqual({ sessions: 2, messages: 20 })
    // Read whole at the same moment, it is the same.
    await log.settled()
    const whole = setup0.snapshots()
    expect(joined([whole.page(null)])).toEqual({ ...all, seq: [log.appliedSeq] })
  })

  it('a snapshot of one chat holds that chat and its messages only, across pages; an id main has no chat for gives none', async () => {
    const setup0 = await setup()
    writeHistory(setup0)
    const snapshots = setup0.snapshots({ rows: 3, textChars: 1_000_000 })
    const pages = readAll(snapshots, snapshots.page(null, 's1'))
    expect(pages.length).toBeGreaterThan(1)
    const whole = joined(pages)
    expect((whole.sessions as { id: string }[]).map((chat) => chat.id)).toEqual(['s1'])
    expect((whole.messages as { message: Message }[]).map(({ message }) => message.id)).toEqual(['a5', 'u4', 'a3', 'u2', 'a1', 'u0'])
    expect(pages[0]?.totals).toEqual({ sessions: 1, messages: 6 })
    const none = snapshots.page(null, 'no-such-chat')
    expect(none).toMatchObject({ sessions: [], messages: [], next: null, totals: { sessions: 0, messages: 0 } })
    expect(snapshots.openCount).toBe(0)
  })
})
