import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { open } from 'lmdb'
import { afterEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../shared'
import { EventBroker } from '../events/event-broker'
import { SessionLog } from './session-log'

const logs: SessionLog[] = []
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close()
})

async function openLog(dir = mkdtempSync(join(tmpdir(), 'parley-log-')), checkpointMs = 1000): Promise<{ log: SessionLog; dir: string }> {
  const log = await SessionLog.open(join(dir, 'session-log'), { checkpointMs })
  logs.push(log)
  return { log, dir }
}

const message = (id: string, role: Message['role'], text: string, status: Message['status'] = 'finished', sessionId = 's1'): Message => ({
  id,
  sessionId,
  runId: `run-${id}`,
  role,
  parts: [{ type: 'text', text }],
  status,
  createdAt: 1
})

const textOf = (messages: Message[]): string[] => messages.map((m) => m.parts.map((p) => p.text).join(''))

describe('SessionLog', () => {
  it('keeps a session\'s messages in order, each with the one before it as its parent, across a reopen', async () => {
    const { log, dir } = await openLog()
    const broker = new EventBroker()
    log.attach(broker)
    broker.publish({ type: 'message.created', message: message('u1', 'user', 'hello') })
    broker.publish({ type: 'message.created', message: message('a1', 'assistant', '', 'streaming') })
    broker.publish({ type: 'message.delta', sessionId: 's1', messageId: 'a1', text: 'Hi', reasoning: 'hmm' })
    const last = broker.publish({ type: 'message.finished', message: message('a1', 'assistant', 'Hi there') })
    expect(textOf(await log.read('s1', { afterSeq: last.seq }))).toEqual(['hello', 'Hi there'])
    await log.close()

    const again = (await openLog(dir)).log
    expect(again.appliedSeq).toBe(last.seq)
    const read = await again.read('s1', { afterSeq: 0 })
    expect(textOf(read)).toEqual(['hello', 'Hi there'])
    expect(read[1]?.status).toBe('finished')
    expect(await again.read('other', { afterSeq: 0 })).toEqual([])
  })

  it('folds streamed text in memory: a read sees it at once, the store gets it at the checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-log-'))
    const { log } = await openLog(dir, 20)
    const broker = new EventBroker()
    log.attach(broker)
    broker.publish({ type: 'message.created', message: message('u1', 'user', 'q') })
    broker.publish({ type: 'message.created', message: message('a1', 'assistant', '', 'streaming') })
    const delta = broker.publish({ type: 'message.delta', sessionId: 's1', messageId: 'a1', text: 'part' })
    expect(textOf(await log.read('s1', { afterSeq: delta.seq }))).toEqual(['q', 'part'])
    await new Promise((resolve) => setTimeout(resolve, 60))
    await log.settled()
    await log.close()
    logs.splice(logs.indexOf(log), 1)
    const again = (await openLog(dir)).log
    const read = await again.read('s1', { afterSeq: 0 })
    expect(textOf(read)).toEqual(['q', 'part'])
    expect(read[1]?.status).toBe('streaming')
  })

  it('H4: a read walks the branch newest first and stops when the caller has enough', async () => {
    const { log } = await openLog()
    const broker = new EventBroker()
    log.attach(broker)
    let seq = 0
    for (let i = 0; i < 200; i++) seq = broker.publish({ type: 'message.created', message: message(`m${i}`, i % 2 ? 'assistant' : 'user', `t${i}`) }).seq
    const before = log.messagesRead
    const read = await log.read('s1', { afterSeq: seq, enough: (newestFirst) => newestFirst.length >= 5 })
    expect(textOf(read)).toEqual(['t195', 't196', 't197', 't198', 't199'])
    expect(log.messagesRead - before).toBe(5)
  })

  it('applying an event twice changes nothing (F3)', async () => {
    const { log } = await openLog()
    const broker = new EventBroker()
    log.attach(broker)
    const created = broker.publish({ type: 'message.created', message: message('a1', 'assistant', '', 'streaming') })
    const delta = broker.publish({ type: 'message.delta', sessionId: 's1', messageId: 'a1', text: 'once' })
    log.apply(delta)
    log.apply(created)
    expect(textOf(await log.read('s1', { afterSeq: delta.seq }))).toEqual(['once'])
  })

  it('session.deleted removes the session\'s messages from the store, and its text from the live data', async () => {
    const { log, dir } = await openLog()
    const broker = new EventBroker()
    log.attach(broker)
    broker.publish({ type: 'message.created', message: message('u1', 'user', 'secret-words-to-forget') })
    broker.publish({ type: 'message.created', message: message('k1', 'user', 'kept', 'finished', 's2') })
    const deleted = broker.publish({ type: 'session.deleted', sessionId: 's1' })
    expect(await log.read('s1', { afterSeq: deleted.seq })).toEqual([])
    await log.settled()
    expect(textOf(await log.read('s2', { afterSeq: deleted.seq }))).toEqual(['kept'])
    // A new message in the deleted session's id starts a fresh branch.
    const next = broker.publish({ type: 'message.created', message: message('u2', 'user', 'again') })
    const read = await log.read('s1', { afterSeq: next.seq })
    expect(textOf(read)).toEqual(['again'])
    // Deleted text leaves the disk at once: the batch that removed it is followed by a compaction into a new store.
    await log.settled()
    expect(log.compactions).toBeGreaterThan(0)
    const storeFiles = (): string[] =>
      (readdirSync(join(dir, 'session-log'), { recursive: true, encoding: 'utf8' }) as string[]).filter((name) => name.endsWith('.mdb'))
    expect(storeFiles().length).toBeGreaterThan(0)
    for (const name of storeFiles()) expect(readFileSync(join(dir, 'session-log', name)).includes('secret-words-to-forget')).toBe(false)
    await log.close()
    const reopened = await SessionLog.open(join(dir, 'session-log'))
    logs.push(reopened)
    expect(textOf(await reopened.read('s2', { afterSeq: 0 }))).toEqual(['kept'])
    expect(textOf(await reopened.read('s1', { afterSeq: 0 }))).toEqual(['again'])
  })

  it('a paged snapshot that started before a compaction still reads its own store, which closes once it is done', async () => {
    const { log } = await openLog()
    const broker = new EventBroker()
    log.attach(broker)
    broker.publish({ type: 'message.created', message: message('u1', 'user', 'old words', 'finished') })
    broker.publish({ type: 'message.created', message: message('k1', 'user', 'kept', 'finished', 's2') })
    await log.settled()
    const view = log.view()
    broker.publish({ type: 'session.deleted', sessionId: 's1' })
    await log.settled()
    expect(log.compactions).toBe(1)
    // The view is the log as it stood: s1 is still there for it, and reading it doesn't fail on a closed store.
    expect([...view.messagesBefore('s1', 0)].map((m) => m.message.id)).toEqual(['u1'])
    view.done()
    expect(await log.read('s1', { afterSeq: 0 })).toEqual([])
    expect(textOf(await log.read('s2', { afterSeq: 0 }))).toEqual(['kept'])
  })

  it('a damaged value read back from the store is skipped, never trusted', async () => {
    const { log, dir } = await openLog()
    const broker = new EventBroker()
    log.attach(broker)
    broker.publish({ type: 'message.created', message: message('u1', 'user', 'first') })
    const seq = broker.publish({ type: 'message.created', message: message('u2', 'user', 'second') }).seq
    await log.close()
    const raw = open({ path: join(dir, 'session-log') })
    const messages = raw.openDB<unknown, [string, number]>({ name: 'messages' })
    const keys = [...messages.getKeys({ start: ['s1'], end: ['s1', Number.POSITIVE_INFINITY] })]
    await messages.put(keys[0] as [string, number], { message: { id: 'u1', text: 42 }, parentId: null })
    await raw.close()
    const again = (await openLog(dir)).log
    expect(textOf(await again.read('s1', { afterSeq: seq }))).toEqual(['second'])
  })

  it('batches a tick\'s writes behind the journal\'s gate; reads never wait for the commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-log-'))
    let open = false
    let release!: () => void
    const journalDurable = new Promise<void>((resolve) => (release = resolve))
    const log = await SessionLog.open(join(dir, 'session-log'), { gate: () => (open ? undefined : journalDurable) })
    logs.push(log)
    const broker = new EventBroker()
    log.attach(broker)
    broker.publish({ type: 'message.created', message: message('u1', 'user', 'one') })
    const last = broker.publish({ type: 'message.created', message: message('a1', 'assistant', 'two') })
    let committed = false
    void log.written().then(() => (committed = true))
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(committed).toBe(false)
    // Not committed (the journal has not made the events durable yet), and read all the same.
    expect(textOf(await log.read('s1', { afterSeq: last.seq }))).toEqual(['one', 'two'])
    open = true
    release()
    await log.written()
    expect(committed).toBe(true)
    await log.close()
    logs.splice(logs.indexOf(log), 1)
    expect(textOf(await (await openLog(dir)).log.read('s1', { afterSeq: 0 }))).toEqual(['one', 'two'])
  })

  it('H3: a branch switch in the same tick as new messages is written in their batch, in order (the leaf survives a reopen)', async () => {
    const { log, dir } = await openLog()
    const broker = new EventBroker()
    log.attach(broker)
    broker.publish({ type: 'message.created', message: message('u1', 'user', 'first') })
    broker.publish({ type: 'message.created', message: { ...message('u2', 'user', 'beside'), parentId: null } })
    broker.publish({ type: 'session.branch', sessionId: 's1', leafId: 'u1' })
    expect(log.leaf('s1')).toBe('u1')
    await log.close()
    logs.splice(logs.indexOf(log), 1)
    const again = (await openLog(dir)).log
    expect(again.leaf('s1')).toBe('u1')
    expect(textOf(await again.read('s1', { afterSeq: 0 }))).toEqual(['first'])
  })

  it('deleted messages are gone at once, from the cache too, and stay gone, even when deleted in the tick they were written', async () => {
    const { log, dir } = await openLog()
    const broker = new EventBroker()
    log.attach(broker)
    broker.publish({ type: 'message.created', message: message('u1', 'user', 'kept') })
    await log.settled()
    expect(log.place('u1')).toBeDefined() // cached
    broker.publish({ type: 'message.created', message: message('a1', 'assistant', 'doomed answer') })
    broker.publish({ type: 'messages.deleted', sessionId: 's1', messageIds: ['u1', 'a1'], leafId: null })
    expect(log.place('u1')).toBeUndefined()
    expect(log.place('a1')).toBeUndefined()
    expect(log.removal('s1', 'u1').messageIds).toEqual([])
    await log.settled()
    expect(log.place('u1')).toBeUndefined()
    await log.close()
    logs.splice(logs.indexOf(log), 1)
    const again = (await openLog(dir)).log
    expect(again.place('u1')).toBeUndefined()
    expect(again.place('a1')).toBeUndefined()
    expect(await again.read('s1', { afterSeq: 0 })).toEqual([])
  })

  it('keeps only a bounded part of the history in memory and reads the rest back from the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-log-'))
    // Room for about four messages.
    const log = await SessionLog.open(join(dir, 'session-log'), { cacheBudget: 4 * 1_003 })
    logs.push(log)
    const broker = new EventBroker()
    log.attach(broker)
    for (let i = 0; i < 30; i++) broker.publish({ type: 'message.created', message: message(`m${i}`, i % 2 ? 'assistant' : 'user', `t${i}`) })
    await log.settled()
    const read = await log.read('s1', { afterSeq: 0 })
    expect(textOf(read)).toEqual(Array.from({ length: 30 }, (_, i) => `t${i}`))
    expect(log.cachedWeight).toBeGreaterThan(0)
    expect(log.cachedWeight).toBeLessThanOrEqual(4 * 1_003)
    // A message weighs its text: a long one alone fills the budget.
    broker.publish({ type: 'message.created', message: message('long', 'user', 'x'.repeat(5_000)) })
    await log.settled()
    expect(log.cachedWeight).toBe(1_000 + 5_000)
  })
})
