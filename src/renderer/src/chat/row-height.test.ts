import { describe, expect, it } from 'vitest'
import { estimatedRowHeight, lineChars, writtenLines } from './row-height'

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
