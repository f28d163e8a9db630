import { describe, expect, it } from 'vitest'
import type { HistorySnapshot, HistorySnapshotRequest, Session, SnapshotMessage } from '../../../shared'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { finished, freshDatabase, sessionCreated, snapshot, userMessage } from '../testing/history-fixtures'
import { EventApplier } from './applier'
import { needsRebuild, rebuildFromMain, restorePendingKey, type RestoreProgress } from './rebuild'
import { StreamingStore } from './streaming-store'

const session = (id: string, title: string): Session => ({ id, title, titleSource: 'model', createdAt: 1, updatedAt: 10 })

const entry = (sessionId: string, id: string, text: string, createdSeq: number): SnapshotMessage => ({
  message: finished(userMessage(sessionId, id, text, createdSeq), text),
  createdSeq
})

const SEQ = 40

/** Main with 2 chats (3 messages and 1), served a page of at most 2 messages at a time, as ParleyService pages it. */
function mainWithTwoChats(api: FakeParleyApi): void {
  const pages: HistorySnapshot[] = [
    {
      sessions: [session('a', 'First'), session('b', 'Second')],
      messages: [entry('a', 'a3', 'three', 30), entry('a', 'a2', 'two', 20)],
      seq: SEQ,
      progress: { done: 0, total: 2 },
      next: { seq: SEQ, sessionId: 'a', beforeSeq: 20, expectedId: 'a1' }
    },
    {
      sessions: [],
      messages: [entry('a', 'a1', 'one', 10), entry('b', 'b1', 'other', 35)],
      seq: SEQ,
      progress: { done: 2, total: 2 }
    }
  ]
  api.snapshotAnswer = async (request: HistorySnapshotRequest) => {
    const page = request.cursor ? pages[1] : pages[0]
    if (!page) throw new Error('no such page')
    return page
  }
}

describe('rebuildFromMain', () => {
  it('writes every chat and message of an empty window once, with the snapshot seq, and sets the durable seq', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    mainWithTwoChats(api)
    const progress: RestoreProgress[] = []
    const outcome = await rebuildFromMain({ api, db, onProgress: (p) => progress.push(p) })
    expect(outcome).toEqual({ rebuilt: true, seq: SEQ, sessions: 2, messages: 4 })
    expect(progress).toEqual([
      { done: 0, total: 2 },
      { done: 2, total: 2 }
    ])
    expect(await db.lastAppliedSeq()).toBe(SEQ)
    expect(await db.meta.get(restorePendingKey)).toBeUndefined()
    const sessions = await db.sessions.orderBy('id').toArray()
    expect(sessions.map((s) => [s.id, s.title, s.seq])).toEqual([
      ['a', 'First', SEQ],
      ['b', 'Second', SEQ]
    ])
    const messages = await db.messages.toArray()
    expect(messages).toHaveLength(4)
    expect(messages.every((m) => m.seq === SEQ)).toBe(true)
    expect(Object.fromEntries(messages.map((m) => [m.id, m.createdSeq]))).toEqual({ a1: 10, a2: 20, a3: 30, b1: 35 })

    // A second run finds a window with history: it asks main nothing and changes nothing.
    const before = await snapshot(db)
    const calls = api.calls.length
    expect(await rebuildFromMain({ api, db })).toEqual({ rebuilt: false })
    expect(api.calls.length).toBe(calls)
    expect(await snapshot(db)).toEqual(before)
  })

  it('applying the same snapshot twice (a rebuild left pending) changes nothing', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    mainWithTwoChats(api)
    await rebuildFromMain({ api, db })
    const before = await snapshot(db)
    await db.meta.put({ key: restorePendingKey, value: SEQ })
    const again = await rebuildFromMain({ api, db })
    expect(again).toEqual({ rebuilt: true, seq: SEQ, sessions: 0, messages: 0 })
    expect(await snapshot(db)).toEqual(before)
  })

  it('leaves a window that has applied events alone', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    mainWithTwoChats(api)
    await db.meta.put({ key: 'lastAppliedSeq', value: 3 })
    expect(await needsRebuild(db)).toBe(false)
    expect(await rebuildFromMain({ api, db })).toEqual({ rebuilt: false })
    expect(api.calls.filter((c) => c.method === 'historySnapshot')).toHaveLength(0)
    expect(await db.sessions.count()).toBe(0)
  })

  it('on an empty main writes nothing and leaves nothing pending', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    expect(await rebuildFromMain({ api, db })).toEqual({ rebuilt: false })
    expect(await snapshot(db)).toEqual({ sessions: [], messages: [], meta: [] })
  })

  it('a page that fails leaves the rebuild pending, and the next start finishes it', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    mainWithTwoChats(api)
    const working = api.snapshotAnswer
    api.snapshotAnswer = async (request) => {
      if (request.cursor) throw new Error('Disconnected')
      return working(request)
    }
    await expect(rebuildFromMain({ api, db })).rejects.toThrow('Disconnected')
    expect(await db.meta.get(restorePendingKey)).toEqual({ key: restorePendingKey, value: SEQ })
    expect(await db.lastAppliedSeq()).toBe(0)
    expect(await needsRebuild(db)).toBe(true)

    api.snapshotAnswer = working
    expect(await rebuildFromMain({ api, db })).toMatchObject({ rebuilt: true, messages: 2 })
    expect(await db.messages.count()).toBe(4)
    expect(await db.lastAppliedSeq()).toBe(SEQ)
  })

  it("the applier rebuilds first and then subscribes from the snapshot's seq: later events apply, older ones don't", async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    // Main's broker still has the chat's creation (seq 1) and the first message (seq 2): the snapshot already has them.
    api.publish(sessionCreated('a'))
    api.publish({ type: 'message.created', message: finished(userMessage('a', 'a1', 'old text', 1), 'old text') })
    mainWithTwoChats(api)
    const applier = new EventApplier({
      api,
      db,
      streaming: new StreamingStore((callback) => queueMicrotask(callback)),
      rebuild: async () => void (await rebuildFromMain({ api, db }))
    })
    await applier.start()
    expect(api.calls.find((c) => c.method === 'subscribe')?.args).toEqual([{ since: SEQ }])
    // An event after the snapshot applies to a restored chat.
    for (let seq = api.published.length; seq < SEQ; seq++) api.publish({ type: 'session.busy', sessionId: 'a', busy: false })
    api.publish({ type: 'session.titled', sessionId: 'a', title: 'Renamed', source: 'user' })
    await applier.committedThrough(SEQ + 1)
    expect((await db.sessions.get('a'))?.title).toBe('Renamed')
    expect((await db.messages.get('a1'))?.parts).toEqual([{ type: 'text', text: 'one' }])
    applier.stop()
  })
})
