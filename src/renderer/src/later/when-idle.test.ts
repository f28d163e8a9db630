import { afterEach, describe, expect, it, vi } from 'vitest'
import { whenIdle } from './when-idle'

afterEach(() => vi.unstubAllGlobals())

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
})
