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

  it('flush with nothing pending hands on nothing, and empty chunks are ignored', () => {
    const out: PendingDelta[] = []
    const coalescer = new DeltaCoalescer((d) => out.push(d))
    coalescer.add('text', '')
    coalescer.flush()
    expect(out).toEqual([])
  })
})
