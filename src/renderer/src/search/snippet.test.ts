import { describe, expect, it } from 'vitest'
import { matchRanges, snippetOf, type SnippetPart } from './snippet'
import { queryWords } from './words'

const marked = (parts: SnippetPart[]): string[] => parts.filter((part) => part.marked).map((part) => part.text)
const whole = (parts: SnippetPart[]): string => parts.map((part) => part.text).join('')

describe('snippets', () => {
  it('marks the prefix typed, in the word as written', () => {
    const parts = snippetOf('We walked to Lisbon, then to LISTS of cafés.', queryWords('lis caf'))
    expect(parts).toEqual([
      { text: 'We walked to ', marked: false },
      { text: 'Lis', marked: true },
      { text: 'bon, then to ', marked: false },
      { text: 'LIS', marked: true },
      { text: 'TS of ', marked: false },
      { text: 'caf', marked: true },
      { text: 'és.', marked: false }
    ])
  })

  it('folds diacritics both ways: a plain query marks an accented word, written composed or decomposed', () => {
    expect(marked(snippetOf('École and E\u0301cole', queryWords('eco')))).toEqual(['Éco', 'E\u0301co'])
    expect(marked(snippetOf('resume and résumé', queryWords('résumé')))).toEqual(['resume', 'résumé'])
  })

  it('marks only whole words for a one-letter word, and nothing inside other words', () => {
    expect(matchRanges('a cat and a bat', queryWords('a'))).toEqual([
      [0, 1],
      [10, 11]
    ])
    expect(matchRanges('unlisted', queryWords('lis'))).toEqual([])
  })

  it('cuts long text around the first match, at spaces, with an ellipsis where text was left out', () => {
    const before = Array.from({ length: 40 }, (_, i) => `before${i}`).join(' ')
    const after = Array.from({ length: 40 }, (_, i) => `after${i}`).join(' ')
    const parts = snippetOf(`${before} needle ${after}`, queryWords('needle'), { width: 80, lead: 20 })
    const shown = whole(parts)
    expect(shown.startsWith('…before')).toBe(true)
    expect(shown.endsWith('…')).toBe(true)
    expect(shown).toContain('needle')
    expect(shown.length).toBeLessThanOrEqual(82)
    expect(marked(parts)).toEqual(['needle'])
  })

  it('runs white space together, and shows the start when nothing matches', () => {
    expect(whole(snippetOf('line one\n\n  line two', queryWords('two')))).toBe('line one line two')
    expect(snippetOf('nothing here', queryWords('zebra'))).toEqual([{ text: 'nothing here', marked: false }])
  })

  it('marks a word inside text written without spaces, wherever it is, and overlapping pairs as one mark', () => {
    const parts = snippetOf('我喜欢用本地模型写代码，模型很快。', queryWords('本地模型'))
    expect(marked(parts)).toEqual(['本地模型', '模型'])
    expect(whole(parts)).toBe('我喜欢用本地模型写代码，模型很快。')
    // One character marks each place it occurs, the run's last included; a Latin word inside the run as a word.
    expect(marked(snippetOf('模型好，好模型，用GPT模型', queryWords('型 gp')))).toEqual(['型', '型', 'GP', '型'])
  })

  it('marks kana whose voicing mark is written apart, as the whole character', () => {
    // デ written as テ and U+3099: the mark belongs to its character, in the fold and in the mark.
    const text = 'このモテ\u3099ルは速い'
    expect(marked(snippetOf(text, queryWords('モデル')))).toEqual(['モテ\u3099ル'])
    // Only where the whole query word is: not the ル of ローカル.
    expect(marked(snippetOf('ローカルモデル', queryWords('モデル')))).toEqual(['モデル'])
  })
})

