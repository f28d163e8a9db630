import { describe, expect, it } from 'vitest'
import { LoopBreath } from './loop-breath'

describe('LoopBreath', () => {
  it('is due only once its interval has passed since the last breath, and the breath lets a macrotask run', async () => {
    const clock = { now: 0 }
    const breath = new LoopBreath(10, () => clock.now)
    expect(breath.due()).toBeUndefined()
    clock.now = 9
    expect(breath.due()).toBeUndefined()
    clock.now = 10
    let immediate = false
    setImmediate(() => (immediate = true))
    const pause = breath.due()
    expect(pause).toBeInstanceOf(Promise)
    await pause
    expect(immediate).toBe(true)
    // The interval counts again from the breath.
    clock.now = 15
    expect(breath.due()).toBeUndefined()
    clock.now = 20
    expect(breath.due()).toBeInstanceOf(Promise)
  })
})
