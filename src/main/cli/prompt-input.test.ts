import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../launch-settings'
import { joinPrompt, readStdin, shouldReadStdin } from './prompt-input'

describe('the prompt of parley run', () => {
  it('is the words, then what was piped in, a blank line between', () => {
    expect(joinPrompt(['review', 'this'], 'diff --git a/x b/x\n+1\n\n')).toBe('review this\n\ndiff --git a/x b/x\n+1')
    expect(joinPrompt(['just', 'words'], null)).toBe('just words')
    expect(joinPrompt([], 'all of stdin\n')).toBe('all of stdin')
    expect(joinPrompt(['words'], '   \n')).toBe('words')
  })

  it('is refused as bad usage when there is none', () => {
    expect(() => joinPrompt([], null)).toThrow(UsageError)
    expect(() => joinPrompt(['  '], '\n')).toThrow(UsageError)
  })

  it('reads a pipe or a file always, a terminal never, anything else only when there are no words', () => {
    expect(shouldReadStdin('piped', ['x'])).toBe(true)
    expect(shouldReadStdin('terminal', [])).toBe(false)
    expect(shouldReadStdin('other', ['x'])).toBe(false)
    expect(shouldReadStdin('other', [])).toBe(true)
  })

  it('joins stdin\'s chunks as UTF-8, a character split between chunks included', async () => {
    const bytes = Buffer.from('héllo ✓')
    await expect(readStdin(Readable.from([bytes.subarray(0, 2), bytes.subarray(2)]))).resolves.toBe('héllo ✓')
  })
})
