import { describe, expect, it, vi } from 'vitest'
import { DeltaCoalescer, type PendingDelta } from './delta-coalescer'

describe('DeltaCoalescer (rule B3)', () => {
  it('hands on the first delta at once and later ones at most once per interval', () => {
    vi.useFakeTimers()
    try {
      const out: PendingDelta[] = []
      const coalescer = new DeltaCoalescer((d) => out.push(d), 30, () => Date.now())
      coalescer.add('text', 'a')
      expect(out).toEqual([{ text: 'a', reasoning: '' }])
      coalescer.add('text', 'b')
      coalescer.add('reasoning', 'r')
      coalescer.add('text', 'c')
      expect(out).toHaveLength(1)
      vi.advanceTimersByTime(30)
      expect(out).toEqual([
        { text: 'a', reasoning: '' },
        { text: 'bc', reasoning: 'r' }
      ])
      coalescer.add('text', 'd')
      coalescer.flush()
      expect(out.at(-1)).toEqual({ text: 'd', reasoning: '' })
      vi.advanceTimersByTime(100)
      expect(out).toHaveLength(3)
    } finally {
      vi.useRealTimers()
    }
  })

  it('hands on what is due by the clock while the thread is too busy for its timer to fire', () => {
    // A provider faster than main: the socket's buffered stream is read and parsed in one turn of the event loop, so
    // no timer fires until it ends. Deltas still go out about once per interval, not as one at the end.
    let now = 1_000
    const out: PendingDelta[] = []
    const coalescer = new DeltaCoalescer((d) => out.push(d), 30, () => now)
    for (let token = 0; token < 100; token++) {
      coalescer.add('text', `${token} `)
      now += 1
    }
    expect(out.map((d) => d.text.split(' ').filter(Boolean).length)).toEqual([1, 30, 30, 30])
    coalescer.flush()
    expect(out.map((d) => d.text).join('')).toBe(Array.from({ length: 100 }, (_, token) => `${token} `).join(''))
  })

  it('flush with nothing pending hands on nothing, and empty chunks are ignored', () => {
    const out: PendingDelta[] = []
    const coalescer = new DeltaCoalescer((d) => out.push(d))
    coalescer.add('text', '')
    coalescer.flush()
    expect(out).toEqual([])
  })
})
