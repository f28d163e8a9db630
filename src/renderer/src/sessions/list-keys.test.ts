import { describe, expect, it } from 'vitest'
import { rowAfterKey } from './list-keys'

describe('moving through the sidebar’s rows by keyboard', () => {
  it('Up and Down move one row, Home and End to the ends', () => {
    expect(rowAfterKey('ArrowDown', 3, 50_000)).toBe(4)
    expect(rowAfterKey('ArrowUp', 3, 50_000)).toBe(2)
    expect(rowAfterKey('Home', 3, 50_000)).toBe(0)
    expect(rowAfterKey('End', 3, 50_000)).toBe(49_999)
  })

  it('stops at the ends, and leaves other keys alone', () => {
    expect(rowAfterKey('ArrowUp', 0, 5)).toBeUndefined()
    expect(rowAfterKey('ArrowDown', 4, 5)).toBeUndefined()
    expect(rowAfterKey('End', 4, 5)).toBeUndefined()
    expect(rowAfterKey('Enter', 2, 5)).toBeUndefined()
    expect(rowAfterKey('a', 2, 5)).toBeUndefined()
  })
})
