import { describe, expect, it } from 'vitest'
import { ForegroundReads } from './foreground-reads'

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('foreground reads', () => {
  it('background work waits while a foreground read is in flight, and goes on once the last one settles', async () => {
    const gate = new ForegroundReads()
    let finishFirst = (): void => undefined
    let finishSecond = (): void => undefined
    const first = gate.run(() => new Promise<string>((resolve) => (finishFirst = () => resolve('first'))))
    const second = gate.run(() => new Promise<string>((resolve) => (finishSecond = () => resolve('second'))))
    let resumed = false
    void gate.idle().then(() => (resumed = true))
    finishFirst()
    expect(await first).toBe('first')
    await tick()
    expect(resumed).toBe(false)
    finishSecond()
    expect(await second).toBe('second')
    await tick()
    expect(resumed).toBe(true)
  })

  it('a failed foreground read lets background work go on too, and its error reaches the caller', async () => {
    const gate = new ForegroundReads()
    await expect(gate.run(() => Promise.reject(new Error('gone')))).rejects.toThrow('gone')
    let resumed = false
    await gate.idle().then(() => (resumed = true))
    expect(resumed).toBe(true)
  })
})
