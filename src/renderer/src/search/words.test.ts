import { describe, expect, it } from 'vitest'
import { fold, longestWord, mostWordsPerMessage, queryWords, wordMatches, wordsOf } from './words'

describe('search words', () => {
  it('folds case and diacritics', () => {
    expect(fold('Café CRÈME Ünïcödé')).toBe('cafe creme unicode')
  })

  it('splits on anything but letters and digits, keeping each word once in order', () => {
    expect(wordsOf('Hello, hello world! v2.0 — naïve_code; 日本語 テキスト')).toEqual(['hello', 'world', 'v2', '0', 'naive', 'code', '日本語', 'テキスト'])
    expect(wordsOf('')).toEqual([])
    expect(wordsOf('  ...  ')).toEqual([])
  })

  it('cuts very long runs and stops after the most words a message indexes', () => {
    expect(wordsOf('x'.repeat(100))).toEqual(['x'.repeat(longestWord)])
    const many = Array.from({ length: mostWordsPerMessage + 50 }, (_, i) => `w${i}`).join(' ')
    expect(wordsOf(many)).toHaveLength(mostWordsPerMessage)
  })

  it('a query word matches as a prefix, a one-letter one only as a whole word', () => {
    const words = queryWords('Lis A')
    expect(words).toEqual([
      { kind: 'prefix', text: 'lis' },
      { kind: 'whole', text: 'a' }
    ])
    const [lis, a] = words
    if (!lis || !a) throw new Error('two words')
    expect(wordMatches('lisbon', lis)).toBe(true)
    expect(wordMatches('list', lis)).toBe(true)
    expect(wordMatches('li', lis)).toBe(false)
    expect(wordMatches('a', a)).toBe(true)
    expect(wordMatches('an', a)).toBe(false)
  })
})
