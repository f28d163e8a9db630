import { describe, expect, it } from 'vitest'
import { burstWaits, FormatBudget, formattedCount, isBurst } from './format-budget'
import { ANSWER_FORMAT_COST_CHARS } from './limits'

describe('formattedCount', () => {
  it('keeps what is formatted and adds new blocks while they fit in the budget', () => {
    expect(formattedCount([500, 500, 500, 500], 1, 1_000)).toBe(3)
    expect(formattedCount([500, 500, 500, 500], 3, 1_000)).toBe(4)
    expect(formattedCount([500, 500], 2, 1_000)).toBe(2)
  })

  it('formats at least one new block, however long', () => {
    expect(formattedCount([100, 50_000, 10], 1, 1_000)).toBe(2)
  })

  it('never counts more blocks than there are', () => {
    expect(formattedCount([10], 5, 1_000)).toBe(1)
    expect(formattedCount([], 0, 1_000)).toBe(0)
  })
})

describe('burstWaits', () => {
  it('holds new blocks while more than a frame formats came since the last drawing, and for the quiet time after', () => {
    expect(isBurst(1_001, 1_000)).toBe(true)
    expect(isBurst(1_000, 1_000)).toBe(false)
    expect(burstWaits(5_000, Number.NEGATIVE_INFINITY, 100, 1_000, 50)).toBe(true)
    expect(burstWaits(0, 100, 149, 1_000, 50)).toBe(true)
    expect(burstWaits(0, 100, 150, 1_000, 50)).toBe(false)
    expect(burstWaits(900, Number.NEGATIVE_INFINITY, 100, 1_000, 50)).toBe(false)
  })
})

describe('FormatBudget', () => {
  /** A budget whose task ends when the test says so. */
  function budget(chars: number): { budget: FormatBudget; endTask: () => void } {
    let forget: (() => void) | undefined
    return {
      budget: new FormatBudget(chars, () => false, (f) => (forget = f)),
      endTask: () => forget?.()
    }
  }

  it('formats the answers drawn in one task while they fit, each with its fixed cost, and the first whatever its size', () => {
    const { budget: b } = budget(1_000)
    expect(b.formatNow(5_000)).toBe(true)
    expect(b.formatNow(10)).toBe(false)
    const { budget: c } = budget(1_000)
    expect(c.formatNow(200)).toBe(true) // 450 spent
    expect(c.formatNow(200)).toBe(true) // 900
    expect(c.formatNow(0)).toBe(false) // 900 + 250 > 1,000
    expect(ANSWER_FORMAT_COST_CHARS).toBeGreaterThan(0)
  })

  it('formats every answer at once while a chat list is opening (it waits for them before it shows)', () => {
    let opening = true
    const b = new FormatBudget(1_000, () => opening, () => undefined)
    expect([b.formatNow(900), b.formatNow(900), b.formatNow(900)]).toEqual([true, true, true])
    opening = false
    expect([b.formatNow(900), b.formatNow(900)]).toEqual([true, false])
  })

  it('forgets what was spent once the task is over', () => {
    const { budget: b, endTask } = budget(1_000)
    expect(b.formatNow(900)).toBe(true)
    expect(b.formatNow(100)).toBe(false)
    endTask()
    expect(b.formatNow(900)).toBe(true)
    expect(b.formatNow(100)).toBe(false)
  })

  it('forgets with the page\'s own queueMicrotask, called as a function (as the budget\'s method Chromium threw "Illegal invocation")', async () => {
    const real = globalThis.queueMicrotask
    // Chromium's queueMicrotask is the window's: called with another `this`, it throws.
    globalThis.queueMicrotask = function (this: unknown, callback: VoidFunction): void {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation')
      real(callback)
    }
    try {
      const b = new FormatBudget(1_000)
      expect(b.formatNow(900)).toBe(true)
      expect(b.formatNow(100)).toBe(false)
      await new Promise((resolve) => setTimeout(resolve, 0))
      expect(b.formatNow(900)).toBe(true)
    } finally {
      globalThis.queueMicrotask = real
    }
  })
})
