import { describe, expect, it } from 'vitest'
import { estimatedRowHeight, lineChars, paragraphGaps, writtenLines } from './row-height'

const message = (role: 'user' | 'assistant', text: string, more: { reasoning?: string; pictures?: number } = {}) => ({
  role,
  parts: [...(more.reasoning ? [{ type: 'reasoning' as const, text: more.reasoning }] : []), { type: 'text' as const, text }],
  attachments: Array.from({ length: more.pictures ?? 0 }, (_, i) => ({ id: `a${i}`, name: 'p.png', mimeType: 'image/png', size: 10, kind: 'image' as const }))
})

describe('writtenLines', () => {
  it('counts each line by its length and leaves blank ones out', () => {
    expect(writtenLines('')).toBe(0)
    expect(writtenLines('one line')).toBe(1)
    expect(writtenLines('x'.repeat(lineChars + 1))).toBe(2)
    expect(writtenLines('a\n\n\nb\n   \nc')).toBe(3)
  })

  it('reads lines as splitting and trimming them would, without making a string per line', () => {
    const pieces = ['word ', 'x'.repeat(lineChars - 1), '\n', '\n\n', '\r\n', ' ', '\t', '\u00a0', '\u3000', '\u2009', 'ß', '𝛼', '']
    let seed = 11
    const next = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: Math.floor(next() * 40) }, () => pieces[Math.floor(next() * pieces.length)]).join('')
      const lines = text.split('\n').reduce((sum, line) => sum + Math.ceil(line.trim().length / lineChars), 0)
      expect(writtenLines(text), JSON.stringify(text)).toBe(lines)
      expect(paragraphGaps(text), JSON.stringify(text)).toBe(text.split('\n\n').length - 1)
    }
  })
})

describe('estimatedRowHeight', () => {
  it('is near what a one-line prompt and a one-line answer measure (49 and 70 px)', () => {
    expect(estimatedRowHeight(message('user', 'A short prompt.'))).toBe(49)
    expect(estimatedRowHeight(message('assistant', 'A short answer.'))).toBe(70)
    expect(estimatedRowHeight(message('assistant', ''))).toBe(70)
  })

  it('grows with the text, its paragraphs, a reasoning and pictures', () => {
    const one = estimatedRowHeight(message('assistant', 'word'))
    const long = estimatedRowHeight(message('assistant', 'word '.repeat(3000)))
    expect(long).toBeGreaterThan(3000)
    expect(estimatedRowHeight(message('assistant', 'a\n\nb'))).toBeGreaterThan(estimatedRowHeight(message('assistant', 'a\nb')))
    expect(estimatedRowHeight(message('assistant', 'word', { reasoning: 'thinking' }))).toBeGreaterThan(one)
    expect(estimatedRowHeight(message('user', 'word', { pictures: 2 }))).toBeGreaterThan(estimatedRowHeight(message('user', 'word', { pictures: 1 })))
  })
})
