import { describe, expect, it } from 'vitest'
import { messageText, type ParleyEvent } from '../../../shared'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { assistantMessage, delta, finished, freshDatabase, sessionCreated, snapshot, userMessage } from '../testing/history-fixtures'
import { writeEvents } from './row-writes'
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
  await writeEvents(db, events)
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

  it('deleted messages go, with the leaf main names; writing the deletion again changes nothing', async () => {
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    main.publish({ type: 'message.created', message: userMessage('s1', 'u1', 'hi') })
    main.publish({ type: 'message.created', message: userMessage('s1', 'u2', 'again') })
    main.publish({ type: 'message.created', message: userMessage('s1', 'u3', 'and again') })
    const db = freshDatabase()
    await write(db, main.published)
    main.publish({ type: 'messages.deleted', sessionId: 's1', messageIds: ['u2', 'u3'], leafId: 'u1' })
    await write(db, main.published.slice(4))
    expect((await db.messages.toArray()).map((row) => row.id)).toEqual(['u1'])
    expect(await db.sessions.get('s1')).toMatchObject({ leafId: 'u1' })
    await write(db, main.published.slice(4))
    expect((await db.messages.toArray()).map((row) => row.id)).toEqual(['u1'])
    // Created and deleted in one commit: the rows never land.
    const fresh = freshDatabase()
    main.publish({ type: 'messages.deleted', sessionId: 's1', messageIds: ['u1'], leafId: null })
    await write(fresh, main.published)
    expect(await fresh.messages.count()).toBe(0)
    expect((await fresh.sessions.get('s1'))?.leafId).toBeUndefined()
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
    expect(await writeEvents(db, [], { checkpoints: [checkpoint] })).toBe(1)
    expect(await writeEvents(db, [], { checkpoints: [checkpoint] })).toBe(0)
    expect(await writeEvents(db, [], { checkpoints: [{ ...checkpoint, text: 'H', seq: 3 }] })).toBe(0)
    expect(messageText((await db.messages.get('a1')) ?? { parts: [] })).toBe('Hel')
  })

  it('keeps no message of a session it does not have', async () => {
    const db = freshDatabase()
    await write(db, [{ type: 'message.created', message: userMessage('gone', 'u9', 'orphan'), seq: 1, at: 1 }])
    expect(await db.messages.count()).toBe(0)
  })
})

describe('RowBatch: a commit costs a handful of storage requests, however many events it holds', () => {
  it('240 events in 20 chats and 20 streaming checkpoints: two bulk reads and two bulk writes (search indexes them later)', async () => {
    const db = freshDatabase()
    const requests: string[] = []
    db.use({
      stack: 'dbcore',
      name: 'count-requests',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name)
          return {
            ...table,
            get: (request) => (requests.push(`get ${name}`), table.get(request)),
            getMany: (request) => (requests.push(`getMany ${name}`), table.getMany(request)),
            mutate: (request) => (requests.push(`${request.type} ${name}`), table.mutate(request)),
            query: (request) => (requests.push(`query ${name}`), table.query(request)),
            openCursor: (request) => (requests.push(`cursor ${name}`), table.openCursor(request))
          }
        }
      })
    })
    const main = new FakeParleyApi()
    const streaming = []
    for (let chat = 0; chat < 20; chat++) {
      main.publish(sessionCreated(`s${chat}`))
      for (let turn = 0; turn < 4; turn++) {
        main.publish({ type: 'message.created', message: userMessage(`s${chat}`, `u${chat}-${turn}`, 'hi') })
        const answer = assistantMessage(`s${chat}`, `a${chat}-${turn}`)
        main.publish({ type: 'message.created', message: answer })
        if (turn < 3) main.publish({ type: 'message.finished', message: finished(answer, 'done') })
        else streaming.push(answer.id)
      }
    }
    requests.length = 0
    const checkpoints = streaming.map((messageId) => ({ messageId, text: 'so far', reasoning: '', seq: main.published.length + 1 }))
    expect(await writeEvents(db, main.published, { checkpoints })).toBe(20)
    expect(main.published.length).toBe(240)
    expect(requests.sort()).toEqual(['getMany messages', 'getMany sessions', 'put messages', 'put sessions'])
    expect(await db.messages.count()).toBe(160)
    expect((await db.messages.toArray()).filter((m) => m.status === 'streaming' && messageText(m) === 'so far')).toHaveLength(20)
  })
})

describe('session.updated: a chat\'s own options (issue 10 item 3)', () => {
  it('takes the options whole, keeps them when a later event has none, and a replay changes nothing', async () => {
    const db = freshDatabase()
    const main = new FakeParleyApi()
    main.publish(sessionCreated('s1'))
    main.publish({ type: 'session.updated', sessionId: 's1', updatedAt: 1, options: { temperature: 0.5, maxTokens: 99 } })
    main.publish({ type: 'session.updated', sessionId: 's1', updatedAt: 1, options: { model: { providerId: 'p', model: 'm' } } })
    main.publish({ type: 'session.updated', sessionId: 's1', title: 'Named', updatedAt: 2 })
    await write(db, main.published)
    await write(db, main.published)
    expect(await db.sessions.get('s1')).toMatchObject({ title: 'Named', options: { model: { providerId: 'p', model: 'm' } } })
    expect((await db.sessions.get('s1'))?.options).not.toHaveProperty('temperature')
  })
})
