import { describe, expect, it } from 'vitest'
import type { Message } from '../../../../shared'
import { EventBroker } from '../../events/event-broker'
import { MemoryHistory } from './memory-history'

const assistant = (text: string, status: Message['status']): Message => ({
  id: 'm1',
  sessionId: 's1',
  runId: 'r1',
  role: 'assistant',
  parts: text ? [{ type: 'text', text }] : [],
  status,
  createdAt: 1
})

describe('MemoryHistory', () => {
  it('applies created, delta and finished events into one message', () => {
    const broker = new EventBroker()
    const history = new MemoryHistory()
    history.attach(broker)
    broker.publish({ type: 'session.created', session: { id: 's1', title: null, createdAt: 0, updatedAt: 0 } })
    broker.publish({ type: 'message.created', message: assistant('', 'streaming') })
    broker.publish({ type: 'message.delta', sessionId: 's1', messageId: 'm1', text: 'Hel', reasoning: 'hmm' })
    broker.publish({ type: 'message.delta', sessionId: 's1', messageId: 'm1', text: 'lo' })
    expect(history.messages('s1')[0]?.parts).toEqual([
      { type: 'reasoning', text: 'hmm' },
      { type: 'text', text: 'Hello' }
    ])
    broker.publish({ type: 'message.finished', message: { ...assistant('Hello!', 'finished'), finishReason: 'end_turn' } })
    expect(history.messages('s1')).toEqual([{ ...assistant('Hello!', 'finished'), finishReason: 'end_turn' }])
    expect(history.session('s1')?.updatedAt).toBe(1)
  })

  it('applying an event twice changes nothing (F3)', () => {
    const broker = new EventBroker()
    const history = new MemoryHistory()
    history.attach(broker)
    broker.publish({ type: 'message.created', message: assistant('', 'streaming') })
    const delta = broker.publish({ type: 'message.delta', sessionId: 's1', messageId: 'm1', text: 'once' })
    history.apply(delta)
    expect(history.messages('s1')[0]?.parts).toEqual([{ type: 'text', text: 'once' }])
  })

  it('a read waits until the requested seq has been applied', async () => {
    const history = new MemoryHistory()
    let done = false
    const read = history.read('s1', { afterSeq: 2 }).then((messages) => {
      done = true
      return messages
    })
    history.apply({ type: 'message.created', message: assistant('', 'streaming'), seq: 1, at: 0 })
    await Promise.resolve()
    expect(done).toBe(false)
    history.apply({ type: 'message.delta', sessionId: 's1', messageId: 'm1', text: 'x', seq: 2, at: 0 })
    await expect(read).resolves.toHaveLength(1)
  })

  it('a deleted session forgets its messages', () => {
    const broker = new EventBroker()
    const history = new MemoryHistory()
    history.attach(broker)
    broker.publish({ type: 'session.created', session: { id: 's1', title: null, createdAt: 0, updatedAt: 0 } })
    broker.publish({ type: 'message.created', message: assistant('x', 'finished') })
    broker.publish({ type: 'session.deleted', sessionId: 's1' })
    expect(history.messages('s1')).toEqual([])
    expect(history.session('s1')).toBeUndefined()
  })
})
