import { describe, expect, it } from 'vitest'
import type { EventBody, ParleyEvent } from '../../../shared'
import { EventBroker } from './event-broker'

const delta = (messageId: string, text: string): EventBody => ({
  type: 'message.delta',
  sessionId: 's1',
  messageId,
  text
})
const started = (runId: string): EventBody => ({ type: 'run.started', runId, sessionId: 's1' })

describe('EventBroker', () => {
  it('F1: stamps every event with a strictly increasing seq', () => {
    const broker = new EventBroker()
    const seqs = [broker.publish(started('a')), broker.publish(started('b')), broker.publish(delta('m', 'x'))].map(
      (e) => e.seq
    )
    expect(seqs).toEqual([1, 2, 3])
    expect(broker.lastSeq).toBe(3)
  })

  it('F1: subscribe({ since }) replays retained events after since, then live ones, with no gap and no duplicate', () => {
    const broker = new EventBroker()
    for (let i = 0; i < 5; i++) broker.publish(started(`r${i}`))
    const seen: number[] = []
    broker.subscribe({ since: 2 }, (e) => {
      seen.push(e.seq)
    })
    broker.publish(started('live1'))
    broker.publish(started('live2'))
    expect(seen).toEqual([3, 4, 5, 6, 7])
  })

  it('F1: a subscriber that joins from inside a listener misses nothing and sees nothing twice', () => {
    const broker = new EventBroker()
    const late: number[] = []
    broker.subscribe({ since: 0 }, (e) => {
      if (e.seq === 2) {
        broker.subscribe({ since: 1 }, (x) => {
          late.push(x.seq)
        })
        broker.publish(started('from-inside'))
      }
    })
    broker.publish(started('a'))
    broker.publish(started('b'))
    broker.publish(started('c'))
    expect(late).toEqual([2, 3, 4])
  })

  it('F1: events published from inside a listener reach every subscriber in seq order', () => {
    const broker = new EventBroker()
    const first: number[] = []
    const second: number[] = []
    broker.subscribe({ since: 0 }, (e) => {
      first.push(e.seq)
      if (e.seq === 1) broker.publish(started('nested'))
    })
    broker.subscribe({ since: 0 }, (e) => {
      second.push(e.seq)
    })
    broker.publish(started('outer'))
    expect(first).toEqual([1, 2])
    expect(second).toEqual([1, 2])
  })

  it('F1: reports a gap when the events after since are no longer retained', () => {
    const broker = new EventBroker({ retain: 3 })
    for (let i = 0; i < 10; i++) broker.publish(started(`r${i}`))
    const gaps: number[] = []
    const seen: number[] = []
    broker.subscribe({ since: 2, onGap: (first) => gaps.push(first) }, (e) => {
      seen.push(e.seq)
    })
    expect(gaps).toEqual([8])
    expect(seen).toEqual([8, 9, 10])
  })

  it('F2: a slow subscriber never blocks the publisher or a fast subscriber', async () => {
    const broker = new EventBroker()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow: ParleyEvent[] = []
    const fast: number[] = []
    broker.subscribe({ since: 0 }, async (e) => {
      slow.push(e)
      await gate
    })
    broker.subscribe({ since: 0 }, (e) => {
      fast.push(e.seq)
    })
    for (let i = 0; i < 100; i++) broker.publish(started(`r${i}`))
    expect(fast).toHaveLength(100)
    expect(slow).toHaveLength(1)
    expect(broker.backlog).toBe(99)
    release()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(slow.map((e) => e.seq)).toEqual(fast)
  })

  it('F2: merges deltas of one message for a slow subscriber, and never merges or drops anything else', async () => {
    const broker = new EventBroker()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow: ParleyEvent[] = []
    broker.subscribe({ since: 0 }, async (e) => {
      slow.push(e)
      if (e.seq === 1) await gate
    })
    broker.publish(started('hold')) // the subscriber is now busy with seq 1
    broker.publish(delta('m1', 'a'))
    broker.publish(delta('m1', 'b'))
    broker.publish(delta('m2', 'x')) // another message: not merged into m1
    broker.publish(delta('m2', 'y'))
    broker.publish({ type: 'message.finished', message: finishedMessage('m2') })
    broker.publish(delta('m1', 'c')) // behind a finished event: must stay after it
    release()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(slow.map((e) => [e.type, e.type === 'message.delta' ? e.text : undefined, e.seq])).toEqual([
      ['run.started', undefined, 1],
      ['message.delta', 'ab', 3],
      ['message.delta', 'xy', 5],
      ['message.finished', undefined, 6],
      ['message.delta', 'c', 7]
    ])
  })

  it('F2: with a backlog in the thousands, every queue.changed and session.busy reaches a slow subscriber, in order, unmerged', async () => {
    const broker = new EventBroker({ retain: 20_000 })
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow: ParleyEvent[] = []
    broker.subscribe({ since: 0 }, async (e) => {
      slow.push(e)
      if (e.seq === 1) await gate
    })
    broker.publish(started('hold'))
    const published: ParleyEvent[] = []
    const text = new Map<string, string>()
    for (let i = 0; i < 3000; i++) {
      const messageId = `m${i % 3}`
      const piece = `${i},`
      text.set(messageId, (text.get(messageId) ?? '') + piece)
      published.push(broker.publish(delta(messageId, piece)))
      // Same-type neighbours with different payloads: merging any two of them would lose a state.
      if (i % 3 === 0) {
        for (const length of [i % 7, (i + 1) % 7]) {
          const queue = Array.from({ length }, (_, n) => ({ runId: `q${i}-${n}`, prompt: 'p', enqueuedAt: i, state: 'queued' as const }))
          published.push(broker.publish({ type: 'queue.changed', sessionId: 's1', queue }))
        }
      }
      if (i % 5 === 0) {
        published.push(broker.publish({ type: 'session.busy', sessionId: 's1', busy: false }))
        published.push(broker.publish({ type: 'session.busy', sessionId: 's1', busy: true }))
      }
    }
    expect(broker.backlog).toBeGreaterThan(3000)
    release()
    await new Promise((resolve) => setTimeout(resolve, 0))
    const notDeltas = (events: ParleyEvent[]) => events.filter((e) => e.type !== 'message.delta')
    expect(notDeltas(slow.slice(1))).toEqual(notDeltas(published))
    // Deltas may be merged, but only within one message and never across another event: the text is all there.
    const received = new Map<string, string>()
    for (const e of slow) if (e.type === 'message.delta') received.set(e.messageId, (received.get(e.messageId) ?? '') + (e.text ?? ''))
    expect(received).toEqual(text)
    expect(slow.map((e) => e.seq)).toEqual([...slow.map((e) => e.seq)].sort((a, b) => a - b))
  })

  it('F2: a throwing listener is reported and does not reach the publisher or other subscribers', () => {
    const errors: unknown[] = []
    const broker = new EventBroker({ onListenerError: (error) => errors.push(error) })
    const seen: number[] = []
    broker.subscribe({ since: 0 }, () => {
      throw new Error('listener bug')
    })
    broker.subscribe({ since: 0 }, (e) => {
      seen.push(e.seq)
    })
    expect(() => broker.publish(started('a'))).not.toThrow()
    expect(seen).toEqual([1])
    expect(errors).toHaveLength(1)
  })

  it('unsubscribe stops delivery, and resumeAfter never reuses a seq', () => {
    const broker = new EventBroker()
    const seen: number[] = []
    const off = broker.subscribe({ since: 0 }, (e) => {
      seen.push(e.seq)
    })
    broker.publish(started('a'))
    off()
    broker.publish(started('b'))
    expect(seen).toEqual([1])
    broker.resumeAfter(100)
    expect(broker.publish(started('c')).seq).toBe(101)
  })
})

function finishedMessage(id: string) {
  return {
    id,
    sessionId: 's1',
    runId: 'r',
    role: 'assistant' as const,
    parts: [{ type: 'text' as const, text: 'xy' }],
    status: 'finished' as const,
    finishReason: 'end_turn' as const,
    createdAt: 0
  }
}
