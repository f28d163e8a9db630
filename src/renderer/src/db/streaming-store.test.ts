import { describe, expect, it } from 'vitest'
import { StreamingStore } from './streaming-store'

/** A scheduler the test fires by hand, standing in for requestAnimationFrame. */
function frames(): { schedule: (callback: () => void) => void; fire: () => void; pending: () => number } {
  const queue: (() => void)[] = []
  return {
    schedule: (callback) => queue.push(callback),
    fire: () => {
      for (const callback of queue.splice(0)) callback()
    },
    pending: () => queue.length
  }
}

describe('StreamingStore', () => {
  it('notifies listeners at most once per frame however many deltas arrive', () => {
    const frame = frames()
    const store = new StreamingStore(frame.schedule)
    let notified = 0
    store.subscribe(() => (notified += 1))
    store.set('m1', { text: '', reasoning: '' })
    for (let i = 0; i < 100; i++) store.append('m1', { text: 'x' })

    expect(frame.pending()).toBe(1)
    expect(notified).toBe(0)
    frame.fire()
    expect(notified).toBe(1)
    expect(store.get('m1')?.text).toBe('x'.repeat(100))

    store.append('m1', { reasoning: 'why' })
    frame.fire()
    expect(notified).toBe(2)
    expect(store.get('m1')).toEqual({ text: 'x'.repeat(100), reasoning: 'why' })
  })

  it('keeps the snapshot of an unchanged message, so only the changed bubble re-renders', () => {
    const store = new StreamingStore(() => {})
    store.set('a', { text: 'a', reasoning: '' })
    store.set('b', { text: 'b', reasoning: '' })
    const a = store.get('a')
    const b = store.get('b')
    store.append('b', { text: '!' })
    expect(store.get('a')).toBe(a)
    expect(store.get('b')).not.toBe(b)
  })

  it('ignores deltas for a message it does not hold, and empty ones', () => {
    const frame = frames()
    const store = new StreamingStore(frame.schedule)
    store.append('unknown', { text: 'x' })
    expect(store.get('unknown')).toBeUndefined()
    expect(frame.pending()).toBe(0)
    store.set('m', { text: 'a', reasoning: '' })
    frame.fire()
    const before = store.get('m')
    store.append('m', {})
    expect(store.get('m')).toBe(before)
    expect(frame.pending()).toBe(0)
  })

  it('stops notifying a listener once it unsubscribes', () => {
    const frame = frames()
    const store = new StreamingStore(frame.schedule)
    let notified = 0
    const unsubscribe = store.subscribe(() => (notified += 1))
    unsubscribe()
    store.set('m', { text: 'a', reasoning: '' })
    frame.fire()
    expect(notified).toBe(0)
  })

  it('keeps the final text of recently finished messages and lets the oldest go', () => {
    const store = new StreamingStore(() => {})
    for (let i = 0; i < 70; i++) store.finish(`m${i}`, { text: `final ${i}`, reasoning: '' })
    expect(store.get('m69')?.text).toBe('final 69')
    expect(store.get('m6')?.text).toBe('final 6')
    expect(store.get('m5')).toBeUndefined()
    store.delete('m69')
    expect(store.get('m69')).toBeUndefined()
  })
})
