import { describe, expect, it } from 'vitest'
import { messageText, type ParleyEvent } from '../../../shared'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { assistantMessage, delta, finished, freshDatabase, sessionCreated, snapshot, userMessage } from '../testing/history-fixtures'
import { writeCheckpoint, writeEvent } from './row-writes'
import type { ParleyDatabase } from './schema'

/** Every kind of history event, stamped in order. */
function history(): ParleyEvent[] {
  const main = new FakeParleyApi()
  main.publish(sessionCreated('s1'))
  main.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hi') })
  const answer = assistantMessage('s1', 'a1')
  main.publish({ type: 'message.created', message: answer })
  main.publish(delta(answer, 'Hel'))
  main.publish({ type: 'message.finished', message: finished(answer, 'Hello') })
  main.publish({ type: 'session.titled', sessionId: 's1', title: 'Greeting' })
  main.publish({ type: 'session.updated', sessionId: 's1', title: 'Renamed', updatedAt: 50 })
  main.publish(sessionCreated('s2'))
  main.publish({ type: 'message.created', message: userMessage('s2', 'u2', 'bye') })
  main.publish({ type: 'session.deleted', sessionId: 's2' })
  return main.published
}

async function write(db: ParleyDatabase, events: readonly ParleyEvent[]): Promise<void> {
  await db.transaction('rw', [db.sessions, db.messages, db.meta], async () => {
    for (const event of events) await writeEvent(db, event)
  })
}

describe('writeEvent: the per-row seq watermark', () => {
  it('changes nothing when each event is written a second time right after the first', async () => {
    const once = freshDatabase()
    await write(once, history())
    const twice = freshDatabase()
    await write(twice, history().flatMap((event) => [event, event]))
    expect(await snapshot(twice)).toEqual(await snapshot(once))
  })

  it('does not let an older event overwrite a newer one', async () => {
    const db = freshDatabase()
    const events = history()
    await write(db, events)
    // Stale replays that stop before the newer events: the session as created and the answer while streaming,
    // then the generated title that the user's rename replaced.
    await write(db, events.slice(0, 4))
    await write(db, events.slice(5, 6))
    expect(await db.sessions.get('s1')).toMatchObject({ title: 'Renamed' })
    const answer = await db.messages.get('a1')
    expect(answer).toMatchObject({ status: 'finished' })
    expect(answer && messageText(answer)).toBe('Hello')
  })

  it('H3: a new message and a branch switch move the leaf; a replayed older one never moves it back', async () => {
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    main.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hi') })
    main.publish({ type: 'message.created', message: userMessage('s1', 'u2', 'again') })
    main.publish({ type: 'session.branch', sessionId: 's1', leafId: 'u1' })
    const db = freshDatabase()
    await write(db, main.published)
    expect(await db.sessions.get('s1')).toMatchObject({ leafId: 'u1' })
    main.publish({ type: 'message.created', message: userMessage('s1', 'u3', 'on u1') })
    await write(db, main.published.slice(4))
    expect(await db.sessions.get('s1')).toMatchObject({ leafId: 'u3' })
    // A replay from before the switch: every event again, in order, ends where it was.
    await write(db, main.published.slice(1))
    expect(await db.sessions.get('s1')).toMatchObject({ leafId: 'u3' })
    await write(db, main.published.slice(3, 4))
    expect(await db.sessions.get('s1')).toMatchObject({ leafId: 'u3' })
  })

  it('E3: keeps where a title came from, and a title event from before `source` existed still applies', async () => {
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    main.publish({ type: 'session.titled', sessionId: 's1', title: 'hello…', source: 'fallback' })
    const db = freshDatabase()
    await write(db, main.published)
    expect(await db.sessions.get('s1')).toMatchObject({ title: 'hello…', titleSource: 'fallback' })
    main.publish({ type: 'session.titled', sessionId: 's1', title: 'Greeting', source: 'model' })
    main.publish({ type: 'session.titled', sessionId: 's1', title: 'Old style' })
    await write(db, main.published.slice(2))
    expect(await db.sessions.get('s1')).toMatchObject({ title: 'Old style', titleSource: 'model' })
  })

  it('writes a checkpoint only past the row watermark and only while streaming', async () => {
    const db = freshDatabase()
    const events = history().slice(0, 3)
    await write(db, events)
    const checkpoint = { messageId: 'a1', text: 'Hel', reasoning: '', seq: 4 }
    expect(await writeCheckpoint(db, checkpoint)).toBe(true)
    expect(await writeCheckpoint(db, checkpoint)).toBe(false)
    expect(await writeCheckpoint(db, { ...checkpoint, text: 'H', seq: 3 })).toBe(false)
    expect(messageText((await db.messages.get('a1')) ?? { parts: [] })).toBe('Hel')
  })

  it('keeps no message of a session it does not have', async () => {
    const db = freshDatabase()
    await write(db, [{ type: 'message.created', message: userMessage('gone', 'u9', 'orphan'), seq: 1, at: 1 }])
    expect(await db.messages.count()).toBe(0)
  })
})
