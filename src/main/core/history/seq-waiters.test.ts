import { describe, expect, it } from 'vitest'
import { SeqWaiters } from './seq-waiters'

describe('SeqWaiters', () => {
  it('B2: a reader goes on only once every event through its seq is in, and at once if it already is', async () => {
    const waiters = new SeqWaiters()
    const done: number[] = []
    void waiters.until(5, 3).then(() => done.push(5))
    void waiters.until(8, 3).then(() => done.push(8))
    await waiters.until(2, 3)
    waiters.wake(4)
    await Promise.resolve()
    expect(done).toEqual([])
    waiters.wake(6)
    await Promise.resolve()
    expect(done).toEqual([5])
    waiters.wake(9)
    await Promise.resolve()
    expect(done).toEqual([5, 8])
  })
})
