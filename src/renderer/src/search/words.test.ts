import { describe, expect, it } from 'vitest'
import { fold, longestWord, mostWordsPerMessage, queryWords, wordMatches, wordsOf } from './words'

describe('search words', () => {
  it('folds case and diacritics', () => {
    expect(fold('Café CRÈME Ünïcödé')).toBe('cafe creme unicode')
  })

  it('splits on anything but letters and digits, keeping each word once in order', () => {
    expect(wordsOf('Hello, hello world! v2.0 — naïve_code; Ελληνικά Русский 한국어')).toEqual(['hello', 'world', 'v2', '0', 'naive', 'code', 'ελληνικα', 'русскии', fold('한국어')])
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

  it('knows scripts written without spaces by pairs of characters and each run\'s last character', () => {
    expect(wordsOf('我喜欢本地模型')).toEqual(['我喜', '喜欢', '欢本', '本地', '地模', '模型', '型'])
    // A word of another script inside the run stays a word; a run of one character is itself.
    expect(wordsOf('用GPT4模型。好')).toEqual(['用', 'gpt4', '模型', '型', '好'])
    // Japanese: kanji and kana alike, the length mark included (a kana's voicing mark is folded away like an accent).
    expect(wordsOf('モデルー')).toEqual(['モテ', 'テル', 'ルー', 'ー'])
    // Thai has no spaces between words either; characters beyond the BMP are one character, not two halves.
    expect(wordsOf('ภาษา')).toEqual(['ภา', 'าษ', 'ษา', 'า'])
    expect(wordsOf('𠀀𠀁')).toEqual(['𠀀𠀁', '𠀁'])
  })

  it('a query in such a script is its pairs, each a prefix; one character is a prefix too', () => {
    // Not the last character alone: `ル` of `モデル` would match the `ル` of `ローカル`.
    expect(queryWords('本地模型')).toEqual([
      { kind: 'prefix', text: '本地' },
      { kind: 'prefix', text: '地模' },
      { kind: 'prefix', text: '模型' }
    ])
    const [one] = queryWords('模')
    if (!one) throw new Error('one word')
    expect(one).toEqual({ kind: 'prefix', text: '模' })
    expect(['模型', '型模', '模'].map((word) => wordMatches(word, one))).toEqual([true, false, true])
    // Every place a character occurs is a pair it starts or a run's last character, so one character finds them all.
    const occurrences = ['我模', '模型好', '好模'].map((text) => wordsOf(text).some((word) => wordMatches(word, one)))
    expect(occurrences).toEqual([true, true, true])
  })
})

