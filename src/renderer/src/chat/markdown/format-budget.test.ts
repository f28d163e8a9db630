import { describe, expect, it } from 'vitest'
import { formattedCount } from './format-budget'

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
