import { afterEach, describe, expect, it, vi } from 'vitest'
import { mergeDeltas, messageText, type ParleyEvent } from '../../../shared'
import { FakeParleyApi } from '../testing/fake-parley-api'
import {
  assistantMessage,
  countWrites,
  delta,
  finished,
  freshDatabase,
  interceptWrites,
  nextTurn,
  reopenDatabase,
  sessionCreated,
  snapshot,
  userMessage
} from '../testing/history-fixtures'
import { EventApplier, type Commit } from './applier'
import type { ParleyDatabase } from './schema'
import { StreamingStore } from './streaming-store'

interface Harness {
  db: ParleyDatabase
  api: FakeParleyApi
  streaming: StreamingStore
  applier: EventApplier
  commits: Commit[]
  order: string[]
}

const running: EventApplier[] = []

async function startApplier(db = freshDatabase(), api = new FakeParleyApi()): Promise<Harness> {
  const streaming = new StreamingStore((callback) => queueMicrotask(callback))
  const commits: Commit[] = []
  const order: string[] = []
  const ack = api.ack.bind(api)
  api.ack = async (seq) => {
    order.push(`ack ${seq}`)
    return ack(seq)
  }
  const applier = new EventApplier({
    api,
    db,
    streaming,
    onCommit: (commit) => {
      commits.push(commit)
      order.push(`commit ${commit.seq}`)
    }
  })
  running.push(applier)
  await applier.start()
  return { db, api, streaming, applier, commits, order }
}

/** Lets replays (a microtask away) and IndexedDB (setImmediate) run, then waits for the applier to drain. */
async function quiet(applier: EventApplier): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await nextTurn()
    await applier.settled()
  }
}

function textOf(db: ParleyDatabase, messageId: string): Promise<string | undefined> {
  return db.messages.get(messageId).then((row) => (row ? messageText(row) : undefined))
}

afterEach(() => {
  for (const applier of running.splice(0)) applier.stop()
  vi.useRealTimers()
})

describe('EventApplier: commits', () => {
  it('writes the rows and the last applied seq in one transaction', async () => {
    const { db, api, applier, commits } = await startApplier()
    api.publish(sessionCreated('s1'))
    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hello') })
    await quiet(applier)

    expect(commits).toEqual([{ seq: 2, events: 2, checkpointed: 0 }])
    expect(await db.sessions.get('s1')).toMatchObject({ id: 's1', seq: 1 })
    expect(await textOf(db, 'u1')).toBe('hello')
    expect(await db.lastAppliedSeq()).toBe(2)
  })

  it('writes neither the rows nor the seq when the transaction fails, and retries', async () => {
    const db = freshDatabase()
    const errors: unknown[] = []
    let failing = true
    interceptWrites(db, 'fail-messages', (table, _request, write) =>
      failing && table === 'messages' ? Promise.reject(new Error('disk full')) : write()
    )
    const api = new FakeParleyApi()
    const applier = new EventApplier({ api, db, streaming: new StreamingStore(() => {}), onError: (e) => errors.push(e), retryMs: 20 })
    running.push(applier)
    await applier.start()
    api.publish(sessionCreated('s1'))
    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hello') })
    await quiet(applier)

    expect(errors).toHaveLength(1)
    expect(await db.sessions.count()).toBe(0)
    expect(await db.lastAppliedSeq()).toBe(0)
    expect(api.acks).toEqual([])

    failing = false
    await new Promise((resolve) => setTimeout(resolve, 40))
    await quiet(applier)
    expect(await db.sessions.count()).toBe(1)
    expect(await textOf(db, 'u1')).toBe('hello')
    expect(await db.lastAppliedSeq()).toBe(2)
    expect(api.acks).toEqual([2])
  })

  it('the beforeCommit seam fails a commit as a full disk would: nothing written or acked, then all of it once', async () => {
    const db = freshDatabase()
    const errors: unknown[] = []
    let failures = 2
    const api = new FakeParleyApi()
    const applier = new EventApplier({
      api,
      db,
      streaming: new StreamingStore(() => {}),
      onError: (e) => errors.push(e),
      // Long enough that the retry comes after `quiet` below, however slowly the database opens on a busy machine.
      retryMs: 150,
      beforeCommit: () => {
        if (failures-- > 0) throw new DOMException('Quota exceeded.', 'QuotaExceededError')
      }
    })
    running.push(applier)
    await applier.start()
    api.publish(sessionCreated('s1'))
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    api.publish(delta(answer, 'Hel'))
    api.publish({ type: 'message.finished', message: finished(answer, 'Hello') })
    await quiet(applier)
    expect(errors).toHaveLength(1)
    expect(api.acks).toEqual([])
    expect(await db.messages.count()).toBe(0)

    await vi.waitFor(() => expect(api.acks).toEqual([4]), { timeout: 2000, interval: 10 })
    expect(errors.map((e) => (e as DOMException).name)).toEqual(['QuotaExceededError', 'QuotaExceededError'])
    expect((await db.messages.toArray()).map((row) => [row.id, messageText(row), row.status])).toEqual([['a1', 'Hello', 'finished']])
    expect(await db.sessions.count()).toBe(1)
  })

  it('acks only after the commit, with the seq it committed', async () => {
    const { api, applier, order } = await startApplier()
    api.publish(sessionCreated('s1'))
    await quiet(applier)
    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hello') })
    api.publish({ type: 'session.busy', sessionId: 's1', busy: true })
    await quiet(applier)

    expect(order).toEqual(['commit 1', 'ack 1', 'commit 3', 'ack 3'])
  })

  it('advances the seq for events that change no history', async () => {
    const { db, api, applier } = await startApplier()
    api.publish({ type: 'provider.status', providerId: 'ollama', reachable: false })
    api.publish({ type: 'queue.changed', sessionId: 's1', queue: [] })
    await quiet(applier)

    expect(await db.lastAppliedSeq()).toBe(2)
    expect(api.lastAck).toBe(2)
  })

  it('subscribes from the durable seq after a reload', async () => {
    const first = await startApplier()
    first.api.publish(sessionCreated('s1'))
    await quiet(first.applier)
    first.applier.stop()

    const second = await startApplier(reopenDatabase(first.db), first.api)
    expect(second.api.calls.filter((call) => call.method === 'subscribe').at(-1)?.args).toEqual([{ since: 1 }])
  })
})

describe('EventApplier: idempotence (rule F3)', () => {
  /** A conversation touching every kind of history event, including a session that is deleted. */
  function conversation(api: FakeParleyApi): void {
    api.publish(sessionCreated('s1'))
    api.publish(sessionCreated('s2'))
    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hi') })
    api.publish({ type: 'run.started', runId: 'r1', sessionId: 's1' })
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    api.publish(delta(answer, 'Hel'))
    api.publish(delta(answer, 'lo'))
    api.publish({ type: 'message.finished', message: finished(answer, 'Hello') })
    api.publish({ type: 'session.titled', sessionId: 's1', title: 'Greeting' })
    api.publish({ type: 'session.updated', sessionId: 's1', title: 'Renamed', updatedAt: 50 })
    api.publish({ type: 'message.created', message: userMessage('s2', 'u2', 'bye') })
    api.publish({ type: 'session.deleted', sessionId: 's2' })
  }

  it('gives the same database when every event is applied twice', async () => {
    const once = await startApplier()
    conversation(once.api)
    await quiet(once.applier)

    const twice = await startApplier()
    // Each event twice in a row, then the whole stream again, as a main replaying its outbox would.
    const source = new FakeParleyApi()
    conversation(source)
    for (const event of source.published) twice.api.redeliver([event, event])
    twice.api.redeliver(source.published)
    await quiet(twice.applier)

    expect(await snapshot(twice.db)).toEqual(await snapshot(once.db))
    expect(await twice.db.sessions.toArray()).toMatchObject([{ id: 's1', title: 'Renamed' }])
    expect((await twice.db.messages.toArray()).map((message) => message.sessionId)).toEqual(['s1', 's1'])
  })

  it('applies nothing twice when a fresh applier is handed everything from seq 0', async () => {
    const first = await startApplier()
    conversation(first.api)
    await quiet(first.applier)
    const before = await snapshot(first.db)
    first.applier.stop()

    const second = await startApplier(reopenDatabase(first.db), first.api)
    second.api.redeliver(first.api.published)
    await quiet(second.applier)
    expect(await snapshot(second.db)).toEqual(before)
  })
})

describe('EventApplier: streaming', () => {
  it('does not write Dexie per token while 500 deltas arrive', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const db = freshDatabase()
    const writes = countWrites(db)
    const { api, applier, streaming } = await startApplier(db)
    api.publish(sessionCreated('s1'))
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    await quiet(applier)
    const afterCreated = { ...writes }

    for (let i = 0; i < 500; i++) {
      api.publish(delta(answer, 'x'))
      // Each delta on its own turn of the event loop, as they come over a transport.
      await nextTurn()
    }
    await quiet(applier)

    expect(writes).toEqual(afterCreated)
    expect(streaming.get('a1')?.text).toBe('x'.repeat(500))
    expect(api.lastAck).toBe(2)

    api.publish({ type: 'message.finished', message: finished(answer, 'x'.repeat(500)) })
    await quiet(applier)
    // The final row and the seq: one message write (a checkpoint was not needed, the final row supersedes it).
    expect((writes['messages'] ?? 0) - (afterCreated['messages'] ?? 0)).toBeLessThanOrEqual(2)
    expect(await textOf(db, 'a1')).toBe('x'.repeat(500))
    expect(api.lastAck).toBe(503)
  })

  it('checkpoints the text so far about a second after a delta, and acks it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { db, api, applier, commits } = await startApplier()
    api.publish(sessionCreated('s1'))
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    await quiet(applier)
    api.publish(delta(answer, 'Hello, '))
    api.publish(delta(answer, 'world'))
    await quiet(applier)

    await vi.advanceTimersByTimeAsync(999)
    await quiet(applier)
    expect(commits).toHaveLength(1)
    expect(await textOf(db, 'a1')).toBe('')

    await vi.advanceTimersByTimeAsync(1)
    await quiet(applier)
    expect(commits.at(-1)).toEqual({ seq: 4, events: 0, checkpointed: 1 })
    expect(await db.messages.get('a1')).toMatchObject({ status: 'streaming', seq: 4 })
    expect(await textOf(db, 'a1')).toBe('Hello, world')
    expect(await db.lastAppliedSeq()).toBe(4)
    expect(api.lastAck).toBe(4)
  })

  it('keeps the durable seq before a delta that is only in memory', async () => {
    const { db, api, applier } = await startApplier(freshDatabase(), new FakeParleyApi())
    api.publish(sessionCreated('s1'))
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    await quiet(applier)
    api.publish(delta(answer, 'held'))
    await quiet(applier)

    expect(applier.lastAppliedSeq).toBe(2)
    expect(await db.lastAppliedSeq()).toBe(2)
    expect(api.lastAck).toBe(2)
  })

  it('checkpoints held deltas with any other commit, so the seq never skips them', async () => {
    const { db, api, applier, commits } = await startApplier()
    api.publish(sessionCreated('s1'))
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    await quiet(applier)
    api.publish(delta(answer, 'partial'))
    api.publish({ type: 'queue.changed', sessionId: 's1', queue: [] })
    await quiet(applier)

    expect(commits.at(-1)).toEqual({ seq: 4, events: 1, checkpointed: 1 })
    expect(await textOf(db, 'a1')).toBe('partial')
  })

  it('ends with the full text exactly once after a reload mid-stream', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const first = await startApplier()
    const { api } = first
    api.publish(sessionCreated('s1'))
    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'count') })
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    const words = Array.from({ length: 30 }, (_, i) => `w${i} `)
    for (const word of words.slice(0, 10)) api.publish(delta(answer, word))
    await quiet(first.applier)
    await vi.advanceTimersByTimeAsync(1000)
    await quiet(first.applier)
    for (const word of words.slice(10, 20)) api.publish(delta(answer, word))
    await quiet(first.applier)
    // The window goes away with ten deltas only in memory.
    first.applier.stop()
    expect(await first.db.lastAppliedSeq()).toBe(13)
    expect(await textOf(first.db, 'a1')).toBe(words.slice(0, 10).join(''))

    const second = await startApplier(reopenDatabase(first.db), api)
    await quiet(second.applier)
    // Main also replays some of what was already committed (its outbox is behind its acks): no duplicates.
    second.api.redeliver(api.published.slice(5))
    for (const word of words.slice(20)) api.publish(delta(answer, word))
    await quiet(second.applier)
    expect(second.streaming.get('a1')?.text).toBe(words.join(''))

    await vi.advanceTimersByTimeAsync(1000)
    await quiet(second.applier)
    expect(await textOf(second.db, 'a1')).toBe(words.join(''))

    api.publish({ type: 'message.finished', message: finished(answer, words.join('')) })
    await quiet(second.applier)
    expect(await textOf(second.db, 'a1')).toBe(words.join(''))
    expect(await second.db.messages.get('a1')).toMatchObject({ status: 'finished' })
  })

  it('continues from the row watermark when the durable seq is behind the checkpoint', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const first = await startApplier()
    const { api } = first
    api.publish(sessionCreated('s1'))
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    for (const word of ['a', 'b', 'c']) api.publish(delta(answer, word))
    await quiet(first.applier)
    await vi.advanceTimersByTimeAsync(1000)
    await quiet(first.applier)
    first.applier.stop()
    expect(await textOf(first.db, 'a1')).toBe('abc')

    // Pretend meta lagged behind the row (say, an older build wrote it): the replay overlaps the checkpoint.
    await first.db.meta.put({ key: 'lastAppliedSeq', value: 2 })
    const second = await startApplier(reopenDatabase(first.db), api)
    api.publish(delta(answer, 'd'))
    await quiet(second.applier)
    expect(second.streaming.get('a1')?.text).toBe('abcd')
    await vi.advanceTimersByTimeAsync(1000)
    await quiet(second.applier)
    expect(await textOf(second.db, 'a1')).toBe('abcd')
  })

  it('shows a delta and any other event at once while a commit is being written, and commits them next', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    const streaming = new StreamingStore(() => {})
    const commits: Commit[] = []
    const heard: string[] = []
    const duringFirstCommit: { shown?: string; heard?: string[] } = {}
    const answer = assistantMessage('s1', 'a1')
    const applier = new EventApplier({
      api,
      db,
      streaming,
      onEvent: (event) => heard.push(event.type),
      onCommit: (commit) => commits.push(commit),
      beforeCommit: () => {
        if (commits.length > 0 || duringFirstCommit.heard) return
        // Arrives while the first transaction is open: an IndexedDB commit under load took 50-90 ms.
        api.publish(delta(answer, 'Hel'))
        api.publish({ type: 'queue.changed', sessionId: 's1', queue: [] })
        duringFirstCommit.shown = streaming.get('a1')?.text
        duringFirstCommit.heard = [...heard]
      }
    })
    running.push(applier)
    await applier.start()
    api.publish(sessionCreated('s1'))
    api.publish({ type: 'message.created', message: answer })
    await quiet(applier)

    expect(duringFirstCommit).toEqual({ shown: 'Hel', heard: ['session.created', 'message.created', 'message.delta', 'queue.changed'] })
    // The first commit wrote what it started with; the next one the queue's event and the delta's checkpoint.
    expect(commits).toEqual([
      { seq: 2, events: 2, checkpointed: 0 },
      { seq: 4, events: 1, checkpointed: 1 }
    ])
    expect(await textOf(db, 'a1')).toBe('Hel')
    expect((await db.messages.get('a1'))?.seq).toBe(3)
    expect(await db.lastAppliedSeq()).toBe(4)
    expect(api.acks).toEqual([2, 4])
  })

  it('shows deltas in the streaming store and the final text once finished', async () => {
    const { api, applier, streaming } = await startApplier()
    api.publish(sessionCreated('s1'))
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    api.publish({ type: 'message.delta', sessionId: 's1', messageId: 'a1', reasoning: 'hmm', text: 'Hi' })
    await quiet(applier)
    expect(streaming.get('a1')).toEqual({ text: 'Hi', reasoning: 'hmm' })

    api.publish({ type: 'message.finished', message: finished(answer, 'Hi there', 'hmm') })
    await quiet(applier)
    expect(streaming.get('a1')).toEqual({ text: 'Hi there', reasoning: 'hmm' })
  })
})

describe('EventApplier: what shows an event never costs history (F3)', () => {
  it('writes every event and acks it when the window stores and the streaming bubbles throw on each one', async () => {
    // Found by the window's crash test: a store that threw (there, no requestAnimationFrame in Node) took the events
    // of that drain out of `incoming` unwritten; the next commit recorded a seq past them and main let them go.
    const db = freshDatabase()
    const api = new FakeParleyApi()
    const reported: unknown[] = []
    const applier = new EventApplier({
      api,
      db,
      streaming: new StreamingStore(() => {
        throw new Error('no frames here')
      }),
      onEvent: () => {
        throw new Error('a store of the window failed')
      },
      onError: (error) => reported.push(error)
    })
    running.push(applier)
    await applier.start()
    api.publish(sessionCreated('s1'))
    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hello') })
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    api.publish({ type: 'message.delta', sessionId: 's1', messageId: 'a1', text: 'Hi' })
    api.publish({ type: 'message.finished', message: finished(answer, 'Hi there') })
    api.publish(sessionCreated('s2'))
    await quiet(applier)

    expect(await textOf(db, 'u1')).toBe('hello')
    expect(await textOf(db, 'a1')).toBe('Hi there')
    expect(await db.sessions.get('s2')).toMatchObject({ id: 's2' })
    expect(await db.lastAppliedSeq()).toBe(6)
    expect(api.lastAck).toBe(6)
    expect(reported.length).toBeGreaterThanOrEqual(6)
  })
})

describe('EventApplier: sessions', () => {
  it('keeps updatedAt at the last activity and deletes a session with its messages', async () => {
    const { db, api, applier } = await startApplier()
    api.publish(sessionCreated('s1', 1), 1)
    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hi', 500) }, 500)
    await quiet(applier)
    expect((await db.sessions.get('s1'))?.updatedAt).toBe(500)

    api.publish({ type: 'session.titled', sessionId: 's1', title: 'Hi' }, 600)
    await quiet(applier)
    expect(await db.sessions.get('s1')).toMatchObject({ title: 'Hi', updatedAt: 500 })

    api.publish({ type: 'session.deleted', sessionId: 's1' })
    await quiet(applier)
    expect(await db.sessions.count()).toBe(0)
    expect(await db.messages.count()).toBe(0)
  })

  it('an imported chat sorts by when its messages were written, not when it was imported (as main\'s snapshot, so a rebuild keeps the order)', async () => {
    const { db, api, applier } = await startApplier()
    api.publish({ type: 'session.created', session: { id: 'old', title: 'From 2024', createdAt: 100, updatedAt: 200 } }, 9_000)
    api.publish({ type: 'message.created', message: { ...userMessage('old', 'o1', 'written long ago', 150), status: 'finished' } }, 9_000)
    api.publish({ type: 'message.created', message: { ...userMessage('old', 'o2', 'a later one', 300), status: 'finished' } }, 9_001)
    await quiet(applier)
    expect((await db.sessions.get('old'))?.updatedAt).toBe(300)
    // An answer finishing is activity at the time it finished.
    api.publish({ type: 'message.finished', message: { ...userMessage('old', 'o2', 'a later one', 300), status: 'finished' } }, 9_500)
    await quiet(applier)
    expect((await db.sessions.get('old'))?.updatedAt).toBe(9_500)
  })
})

describe('EventApplier: committedThrough', () => {
  it('waits until everything through a seq is committed', async () => {
    const { api, applier, db } = await startApplier()
    api.publish(sessionCreated('s1'))
    let committed = false
    const waiting = applier.committedThrough(4).then(() => (committed = true))
    await quiet(applier)
    expect(committed).toBe(false)

    api.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'first', 10) })
    const reply = assistantMessage('s1', 'a1', 10)
    api.publish({ type: 'message.created', message: reply })
    api.publish({ type: 'message.finished', message: finished(reply, 'reply') })
    await waiting
    expect(committed).toBe(true)
    expect((await db.messages.get('a1'))?.parts.map((part) => part.text)).toEqual(['reply'])
  })

  it('checkpoints held deltas at once when the seq names one of them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { api, applier, db } = await startApplier()
    api.publish(sessionCreated('s1'))
    const reply = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: reply })
    const held: ParleyEvent = api.publish(delta(reply, 'so far'))
    await quiet(applier)

    await applier.committedThrough(held.seq)
    const row = await db.messages.get('a1')
    expect(row && messageText(row)).toBe('so far')
    expect(applier.lastAppliedSeq).toBe(held.seq)
  })
})

describe('EventApplier: two windows on one database (two tabs of browser mode)', () => {
  /** A main that hands this window's replay over only when the test says, as one merged delta (a slow subscriber's). */
  function heldReplay(): { api: Pick<FakeParleyApi, 'subscribe' | 'ack'>; since: () => number; deliver: (event: ParleyEvent) => void } {
    let listener: ((event: ParleyEvent) => void) | undefined
    let since = -1
    return {
      api: {
        subscribe: (options, heard) => {
          since = options.since
          listener = heard
          return () => (listener = undefined)
        },
        ack: async () => undefined
      },
      since: () => since,
      deliver: (event) => listener?.(event)
    }
  }

  it('a window opened mid-stream shows the text once when the other window checkpointed part of its first (merged) delta', async () => {
    const other = await startApplier()
    const { api, db } = other
    api.publish(sessionCreated('s1'))
    const answer = assistantMessage('s1', 'a1')
    api.publish({ type: 'message.created', message: answer })
    const words = Array.from({ length: 12 }, (_, i) => `w${i} `)
    let offset = 0
    const published: ParleyEvent[] = []
    const publishWord = (word: string): void => {
      published.push(api.publish({ type: 'message.delta', sessionId: 's1', messageId: answer.id, text: word, textOffset: offset }))
      offset += word.length
    }
    for (const word of words.slice(0, 4)) publishWord(word)
    await other.applier.committedThrough(published.at(-1)?.seq ?? 0)

    // This window starts (a reload, a new tab): it reads lastAppliedSeq and subscribes from there.
    const replay = heldReplay()
    const streaming = new StreamingStore((callback) => queueMicrotask(callback))
    const window = new EventApplier({ api: replay.api, db: reopenDatabase(db), streaming })
    running.push(window)
    await window.start()
    expect(replay.since()).toBe(published.at(-1)?.seq)

    // Meanwhile the other window takes more of the answer and checkpoints it.
    for (const word of words.slice(4, 8)) publishWord(word)
    await other.applier.committedThrough(published.at(-1)?.seq ?? 0)
    publishWord(words[8] as string)

    // Main replays what this window lacks: the deltas after its seq, merged into one by the broker's backlog.
    const lacking = published.filter((event) => event.seq > replay.since()) as Extract<ParleyEvent, { type: 'message.delta' }>[]
    replay.deliver(lacking.reduce((merged, next) => mergeDeltas(merged, next)))
    await quiet(window)
    expect(streaming.get('a1')?.text).toBe(words.slice(0, 9).join(''))

    // And what comes after follows on, in this window's own checkpoint too.
    for (const word of words.slice(9)) {
      publishWord(word)
      replay.deliver(published.at(-1) as ParleyEvent)
    }
    await window.committedThrough(published.at(-1)?.seq ?? 0)
    expect(streaming.get('a1')?.text).toBe(words.join(''))
    expect(await textOf(db, 'a1')).toBe(words.join(''))
  })

  it('never lowers lastAppliedSeq: a window behind the other one commits without taking back the other\'s mark', async () => {
    const ahead = await startApplier()
    const { api, db } = ahead
    const opened = api.publish(sessionCreated('s1'))
    await ahead.applier.committedThrough(opened.seq)
    // The window behind starts now (from s1), and hears only what main hands it.
    const replay = heldReplay()
    const behind = new EventApplier({ api: replay.api, db: reopenDatabase(db), streaming: new StreamingStore((callback) => queueMicrotask(callback)) })
    running.push(behind)
    await behind.start()
    expect(replay.since()).toBe(opened.seq)
    const first = api.publish(sessionCreated('s2'))
    const later = api.publish(sessionCreated('s3'))
    await ahead.applier.committedThrough(later.seq)
    expect(await db.lastAppliedSeq()).toBe(later.seq)

    replay.deliver(first)
    await behind.committedThrough(first.seq)
    expect(behind.lastAppliedSeq).toBe(first.seq)
    expect(await db.lastAppliedSeq()).toBe(later.seq)
  })
})
