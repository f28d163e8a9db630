import { describe, expect, it } from 'vitest'
import { cleanTitle, fallbackTitle } from './title'

describe('titles (rule E1)', () => {
  it('strips <think> blocks, newlines, quotes and trailing punctuation', () => {
    expect(cleanTitle('<think>plan\nmore</think>\n"Trip\nto Lisbon."')).toBe('Trip to Lisbon')
    expect(cleanTitle('<think>never closed')).toBe('')
    expect(cleanTitle('  \n ')).toBe('')
  })

  it('falls back to the first 50 characters of the prompt and an ellipsis', () => {
    expect(fallbackTitle('short')).toBe('short…')
    expect(fallbackTitle('a'.repeat(80))).toBe(`${'a'.repeat(50)}…`)
    expect(fallbackTitle('line one\nline two')).toBe('line one line two…')
  })

  it('counts characters, not UTF-16 units, so an emoji is never cut in half', () => {
    const title = fallbackTitle('😀'.repeat(60))
    expect(Array.from(title)).toHaveLength(51)
  })
})
