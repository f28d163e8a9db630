import { afterEach, describe, expect, it, vi } from 'vitest'
import { whenIdle, whenIdleAfter } from './when-idle'

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('whenIdle', () => {
  it('waits for the browser to be idle, with the timeout given', async () => {
    const asked: { timeout?: number }[] = []
    let run: () => void = () => undefined
    vi.stubGlobal('requestIdleCallback', (callback: () => void, options: { timeout?: number }) => {
      asked.push(options)
      run = callback
      return 1
    })
    let settled = false
    const idle = whenIdle(1500).then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    run()
    await idle
    expect(settled).toBe(true)
    expect(asked).toEqual([{ timeout: 1500 }])
  })

  it('still settles in a browser without requestIdleCallback', async () => {
    vi.stubGlobal('requestIdleCallback', undefined)
    await expect(whenIdle()).resolves.toBeUndefined()
  })

  it('whenIdleAfter asks for idle time only once its delay has passed', async () => {
    vi.useFakeTimers()
    let asked = 0
    let run: () => void = () => undefined
    vi.stubGlobal('requestIdleCallback', (callback: () => void) => {
      asked += 1
      run = callback
      return 1
    })
    let settled = false
    const idle = whenIdleAfter(2000).then(() => (settled = true))
    await vi.advanceTimersByTimeAsync(1999)
    expect(asked).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(asked).toBe(1)
    expect(settled).toBe(false)
    run()
    await idle
    expect(settled).toBe(true)
  })
})
