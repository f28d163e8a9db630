import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../launch-settings'
import { joinPrompt, readStdin, shouldReadStdin, stdinText } from './prompt-input'

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
    const warnings: string[] = []
    await expect(readStdin((line) => warnings.push(line), Readable.from([bytes.subarray(0, 2), bytes.subarray(2)]))).resolves.toBe('héllo ✓')
    expect(warnings).toEqual([])
  })

  it('takes bytes that are not UTF-8 as U+FFFD and says how many; refuses a binary file (NUL bytes), pointing at --attach', () => {
    const warnings: string[] = []
    expect(stdinText(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0x21]), (line) => warnings.push(line))).toBe('caf\uFFFD \uFFFD!')
    expect(warnings).toEqual(['stdin is not all UTF-8: 2 sequences of bytes could not be read and became "\uFFFD" in the prompt'])
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d])
    expect(() => stdinText(png, () => {})).toThrow(UsageError)
    expect(() => stdinText(png, () => {})).toThrow(/--attach FILE/)
  })
})
