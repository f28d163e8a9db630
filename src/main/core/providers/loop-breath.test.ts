import { describe, expect, it } from 'vitest'
import { LoopBreath } from './loop-breath'

describe('LoopBreath', () => {
  it('asks for a wait only once the event loop has not turned for its interval, and the wait lets it turn', async () => {
    const clock = { now: 0 }
    const breath = new LoopBreath(10, () => clock.now)
    // What waits for the loop's next turn (the journal writing its group) was asked for before the reading went on.
    let immediate = false
    setImmediate(() => (immediate = true))
    // The first call starts watching the loop.
    expect(breath.due()).toBeUndefined()
    clock.now = 9
    expect(breath.due()).toBeUndefined()
    clock.now = 10
    expect(immediate).toBe(false)
    const pause = breath.due()
    expect(pause).toBeInstanceOf(Promise)
    await pause
    expect(immediate).toBe(true)
    // The loop turned: watched anew from now.
    clock.now = 30
    expect(breath.due()).toBeUndefined()
    clock.now = 39
    expect(breath.due()).toBeUndefined()
  })

  it('never asks for a wait while the loop keeps turning, however long the reading goes on', async () => {
    const clock = { now: 0 }
    const breath = new LoopBreath(10, () => clock.now)
    for (let step = 0; step < 20; step++) {
      expect(breath.due()).toBeUndefined()
      // A read that waits on the network: the loop turns before the next one.
      await new Promise((resolve) => setImmediate(resolve))
      clock.now += 15
    }
  })
})
