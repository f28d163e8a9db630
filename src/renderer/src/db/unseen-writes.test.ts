import { afterEach, describe, expect, it } from 'vitest'
import type { EventBody } from '../../../shared'
import { isUnseen } from '../sessions/unseen'
import { FakeParleyApi } from '../testing/fake-parley-api'
import {
  assistantMessage,
  finished,
  freshDatabase,
  nextTurn,
  reopenDatabase,
  sessionCreated,
  userMessage
} from '../testing/history-fixtures'
import { EventApplier } from './applier'
import type { ParleyDatabase } from './schema'
import { StreamingStore } from './streaming-store'
import { markSeen } from './unseen-writes'

const running: EventApplier[] = []

afterEach(() => {
  for (const applier of running.splice(0)) applier.stop()
})

/** An applier whose person looks at `looking.at` (a chat id, or nothing while the window is in the background). */
async function startApplier(db: ParleyDatabase, api: FakeParleyApi, looking: { at: string | undefined }) {
  const applier = new EventApplier({
    api,
    db,
    streaming: new StreamingStore(() => {}),
    watching: (sessionId) => sessionId === looking.at
  })
  running.push(applier)
  await applier.start()
  return applier
}

async function quiet(applier: EventApplier): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await nextTurn()
    await applier.settled()
  }
}

function answerIn(sessionId: string, id: string): EventBody[] {
  const answer = assistantMessage(sessionId, id)
  return [
    { type: 'message.created', message: userMessage(sessionId, `u-${id}`, 'hi') },
    { type: 'message.created', message: answer },
    { type: 'message.finished', message: finished(answer, 'Hello') },
    { type: 'run.complete', complete: { runId: answer.runId, sessionId, text: 'Hello', cancelled: false } }
  ]
}

async function unseen(db: ParleyDatabase): Promise<Record<string, boolean>> {
  const rows = await db.sessions.toArray()
  return Object.fromEntries(rows.map((row) => [row.id, isUnseen(row)]))
}

describe('unseen marks in Dexie', () => {
  it('marks the chat an answer finished in while another was open, and only that one', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    const looking = { at: 'b' as string | undefined }
    const applier = await startApplier(db, api, looking)
    api.publish(sessionCreated('a'))
    api.publish(sessionCreated('b'))
    for (const body of answerIn('a', 'a1')) api.publish(body)
    for (const body of answerIn('b', 'b1')) api.publish(body)
    await quiet(applier)
    expect(await unseen(db)).toEqual({ a: true, b: false })

    await markSeen(db, 'a')
    expect(await unseen(db)).toEqual({ a: false, b: false })
  })

  it('marks the open chat while the window is in the background', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    const applier = await startApplier(db, api, { at: undefined })
    api.publish(sessionCreated('a'))
    for (const body of answerIn('a', 'a1')) api.publish(body)
    await quiet(applier)
    expect(await unseen(db)).toEqual({ a: true })
  })

  it('does not mark an opened chat again when the same events are applied again', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    const applier = await startApplier(db, api, { at: undefined })
    api.publish(sessionCreated('a'))
    for (const body of answerIn('a', 'a1')) api.publish(body)
    await quiet(applier)
    await markSeen(db, 'a')

    // Delivered again, as main replaying its outbox would, and then to a reloaded window starting from zero.
    api.redeliver(api.published)
    await quiet(applier)
    applier.stop()
    const again = reopenDatabase(db)
    await again.meta.clear()
    const reloaded = await startApplier(again, api, { at: undefined })
    await quiet(reloaded)
    expect(await unseen(again)).toEqual({ a: false })
  })

  it('leaves the row\'s seq and last activity alone', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    const applier = await startApplier(db, api, { at: undefined })
    api.publish(sessionCreated('a'))
    for (const body of answerIn('a', 'a1')) api.publish(body)
    await quiet(applier)
    const before = await db.sessions.get('a')
    await markSeen(db, 'a')
    const after = await db.sessions.get('a')
    expect(after?.seq).toBe(before?.seq)
    expect(after?.updatedAt).toBe(before?.updatedAt)
  })

  it('writes no marks when the applier is not told what the person looks at', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    const applier = new EventApplier({ api, db, streaming: new StreamingStore(() => {}) })
    running.push(applier)
    await applier.start()
    api.publish(sessionCreated('a'))
    for (const body of answerIn('a', 'a1')) api.publish(body)
    await quiet(applier)
    expect(await db.sessions.get('a')).not.toHaveProperty('unseenSeq')
  })

  it('markSeen on a chat that is gone, or was never marked, writes nothing', async () => {
    const db = freshDatabase()
    await db.sessions.put({ id: 'a', title: null, createdAt: 1, updatedAt: 1, seq: 1 })
    await markSeen(db, 'a')
    await markSeen(db, 'missing')
    expect(await db.sessions.toArray()).toEqual([{ id: 'a', title: null, createdAt: 1, updatedAt: 1, seq: 1 }])
  })
})
