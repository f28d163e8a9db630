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
