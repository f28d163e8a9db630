import { describe, expect, it } from 'vitest'
import { LruCache } from './lru-cache'

describe('LruCache', () => {
  it('keeps at most its capacity, forgetting the least recently used first', () => {
    const cache = new LruCache<string, number>(2)
    cache.set('a', 1)
    cache.set('b', 2)
    expect(cache.get('a')).toBe(1) // a is now the most recent
    cache.set('c', 3)
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBe(1)
    expect(cache.get('c')).toBe(3)
    expect(cache.size).toBe(2)
  })

  it('forgets entries on request, one or by a rule', () => {
    const cache = new LruCache<string, number>(10)
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3]] as const) cache.set(key, value)
    cache.delete('a')
    cache.deleteWhere((value) => value > 2)
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, undefined])
  })
})

describe('LruCache by weight', () => {
  it('keeps entries up to their total weight, forgetting the least recently used first', () => {
    const cache = new LruCache<string, string>(10, (value) => value.length)
    cache.set('a', 'xxxx')
    cache.set('b', 'xxxx')
    expect(cache.get('a')).toBe('xxxx') // a is now the most recent
    cache.set('c', 'xxxx')
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['xxxx', undefined, 'xxxx'])
    expect(cache.weight).toBe(8)
    // Set again with another weight: counted once, at its new weight.
    cache.set('a', 'x')
    expect(cache.weight).toBe(5)
    cache.delete('c')
    cache.deleteWhere((value) => value === 'x')
    expect([cache.size, cache.weight]).toEqual([0, 0])
  })

  it('keeps an entry heavier than its capacity, alone', () => {
    const cache = new LruCache<string, string>(3, (value) => value.length)
    cache.set('a', 'xx')
    cache.set('big', 'xxxxxx')
    expect([cache.get('a'), cache.get('big'), cache.size]).toEqual([undefined, 'xxxxxx', 1])
    cache.set('b', 'x')
    expect([cache.get('big'), cache.get('b'), cache.weight]).toEqual([undefined, 'x', 1])
  })
})

describe('LruCache against a plain list', () => {
  it('forgets, keeps and orders 20,000 random uses as a list kept in order of use would', () => {
    let seed = 11
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const weigh = (value: string): number => value.length
    const cache = new LruCache<number, string>(40, weigh)
    /** The reference: oldest first. */
    let list: { key: number; value: string }[] = []
    const total = (): number => list.reduce((sum, entry) => sum + weigh(entry.value), 0)
    for (let step = 0; step < 20_000; step++) {
      const key = random(30)
      const op = random(10)
      if (op < 4) {
        const value = 'x'.repeat(random(op === 0 ? 60 : 12))
        cache.set(key, value)
        list = [...list.filter((entry) => entry.key !== key), { key, value }]
        while (total() > 40 && list.length > 1) list.shift()
      } else if (op < 8) {
        const found = list.find((entry) => entry.key === key)
        expect(cache.get(key)).toBe(found?.value)
        if (found) list = [...list.filter((entry) => entry !== found), found]
      } else if (op < 9) {
        cache.delete(key)
        list = list.filter((entry) => entry.key !== key)
      } else {
        cache.deleteWhere((value) => value.length === key % 12)
        list = list.filter((entry) => entry.value.length !== key % 12)
      }
      expect(cache.keysByUse()).toEqual(list.map((entry) => entry.key))
      expect([cache.size, cache.weight]).toEqual([list.length, total()])
    }
  })
})
