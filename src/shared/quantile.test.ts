import { describe, expect, it } from 'vitest'
import { median, quantile } from './quantile'

describe('quantile', () => {
  it('takes the nearest rank: p95 of 20 values is the 19th, not the largest', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => 20 - i)
    expect(quantile(twenty, 0.95)).toBe(19)
    expect(quantile(twenty, 1)).toBe(20)
    expect(quantile(Array.from({ length: 40 }, (_, i) => i + 1), 0.95)).toBe(38)
    expect(quantile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBe(95)
  })

  it('answers a median of odd and even counts, and NaN for no values', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2)
    expect(quantile([], 0.5)).toBeNaN()
    expect(quantile([7], 0.95)).toBe(7)
  })
})
