import { describe, expect, it } from 'vitest'
import { PromptOrder } from './prompt-order'

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false
  void promise.then(() => (done = true))
  await new Promise((resolve) => setTimeout(resolve, 0))
  return done
}

describe('PromptOrder', () => {
  it('C1: the first prompt goes at once; each next one once every one before it has gone', async () => {
    const order = new PromptOrder()
    const first = order.join()
    const second = order.join()
    const third = order.join()
    expect(await settled(first.turn)).toBe(true)
    expect(await settled(second.turn)).toBe(false)
    first.gone()
    expect(await settled(second.turn)).toBe(true)
    expect(await settled(third.turn)).toBe(false)
    second.gone()
    expect(await settled(third.turn)).toBe(true)
  })

  it('C1: one that gives up before its turn lets no later prompt pass the ones still ahead of it', async () => {
    const order = new PromptOrder()
    const first = order.join()
    const second = order.join()
    const third = order.join()
    // The second's chat could not be made: it is out of the line, but the first still holds the third.
    second.gone()
    expect(await settled(third.turn)).toBe(false)
    first.gone()
    first.gone()
    expect(await settled(third.turn)).toBe(true)
  })
})
