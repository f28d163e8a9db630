import { describe, expect, it } from 'vitest'
import { RecentIds } from './recent-ids'

describe('RecentIds', () => {
  it('remembers at most its capacity, forgetting the oldest first', () => {
    const ids = new RecentIds(2)
    ids.add('a')
    ids.add('b')
    ids.add('c')
    expect([ids.has('a'), ids.has('b'), ids.has('c')]).toEqual([false, true, true])
    expect(ids.size).toBe(2)
  })
})
