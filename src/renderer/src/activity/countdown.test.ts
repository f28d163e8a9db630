import { describe, expect, it } from 'vitest'
import { secondsUntil } from './countdown'

describe('secondsUntil', () => {
  it('rounds up, so the last fraction of a second still reads 1 s, and never goes below 0', () => {
    expect(secondsUntil(10_000, 6_000)).toBe(4)
    expect(secondsUntil(10_000, 9_800)).toBe(1)
    expect(secondsUntil(10_000, 10_000)).toBe(0)
    expect(secondsUntil(10_000, 12_000)).toBe(0)
  })
})
