import { describe, expect, it } from 'vitest'
import { keptRemovals, keptRemovalsKey, memoryRemovalStorage } from './kept-removals'

describe('kept removals', () => {
  it('D2: a removal kept in one page is there for the next page on the same storage, until forgotten', () => {
    const storage = memoryRemovalStorage()
    keptRemovals(storage).keep('r1')
    keptRemovals(storage).keep('r2')
    keptRemovals(storage).keep('r1')
    const next = keptRemovals(storage)
    expect(next.list()).toEqual(['r1', 'r2'])
    next.forget('r1')
    expect(keptRemovals(storage).list()).toEqual(['r2'])
    next.forget('r2')
    expect(storage.items.has(keptRemovalsKey)).toBe(false)
  })

  it('reads a damaged or foreign value as nothing kept, and a refusing storage does not throw', () => {
    const storage = memoryRemovalStorage()
    storage.setItem(keptRemovalsKey, '{"not":"a list"}')
    expect(keptRemovals(storage).list()).toEqual([])
    storage.setItem(keptRemovalsKey, 'not json')
    expect(keptRemovals(storage).list()).toEqual([])
    const refusing = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('full')
      },
      removeItem: () => undefined
    }
    const kept = keptRemovals(refusing)
    expect(() => kept.keep('r1')).not.toThrow()
    expect(kept.list()).toEqual([])
  })

  it('keeps at most the newest 200', () => {
    const storage = memoryRemovalStorage()
    const kept = keptRemovals(storage)
    for (let i = 0; i < 205; i++) kept.keep(`r${i}`)
    expect(kept.list()).toHaveLength(200)
    expect(kept.list()[0]).toBe('r5')
  })
})
