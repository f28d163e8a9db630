import { describe, expect, it } from 'vitest'
import { inTurn } from './in-turn'

describe('inTurn', () => {
  it('takes the measurements in turn, one at a time, and answers each one its own results', async () => {
    const order: string[] = []
    let running = 0
    const measure = (name: string, value: number) => async () => {
      running += 1
      expect(running).toBe(1)
      order.push(name)
      await new Promise((resolve) => setTimeout(resolve, 1))
      running -= 1
      return value + order.length
    }
    const [a, b] = await inTurn([measure('a', 100), measure('b', 200)], 3)
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b'])
    expect(a).toEqual([101, 103, 105])
    expect(b).toEqual([202, 204, 206])
  })

  it('answers empty lists for no rounds', async () => {
    expect(await inTurn([async () => 1, async () => 2], 0)).toEqual([[], []])
  })
})
