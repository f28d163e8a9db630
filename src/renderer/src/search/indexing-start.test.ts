import { afterEach, describe, expect, it, vi } from 'vitest'
import { indexingStart, indexingStartMs } from './indexing-start'

afterEach(() => vi.useRealTimers())

async function settledWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let settled = false
  void promise.then(() => (settled = true))
  await vi.advanceTimersByTimeAsync(ms)
  return settled
}

describe('indexingStart', () => {
  it('begins after the start wait when nobody searches', async () => {
    vi.useFakeTimers()
    const start = indexingStart(() => new Promise((resolve) => setTimeout(resolve, indexingStartMs)))
    expect(await settledWithin(start.begun, indexingStartMs - 1)).toBe(false)
    expect(await settledWithin(start.begun, 1)).toBe(true)
  })

  it('begins at once when search is asked for meanwhile, and asking again changes nothing', async () => {
    vi.useFakeTimers()
    const start = indexingStart(() => new Promise((resolve) => setTimeout(resolve, indexingStartMs)))
    expect(await settledWithin(start.begun, 100)).toBe(false)
    start.now()
    start.now()
    expect(await settledWithin(start.begun, 0)).toBe(true)
  })
})
