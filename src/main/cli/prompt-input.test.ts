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
    // Refused before anything is said about its other bytes.
    const said: string[] = []
    expect(() => stdinText(png, (line) => said.push(line))).toThrow(/binary file/)
    expect(said).toEqual([])
  })

  it('decodes UTF-16 LE and BE by their byte order mark (PowerShell\'s `>`, Windows tools), and drops UTF-8\'s mark', () => {
    const warnings: string[] = []
    const text = 'Grüße, 世界 😀\r\nline two'
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const be = Buffer.from(le.subarray(2)).swap16()
    expect(stdinText(le, (line) => warnings.push(line))).toBe(text)
    expect(stdinText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), (line) => warnings.push(line))).toBe(text)
    expect(stdinText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), (line) => warnings.push(line))).toBe(text)
    expect(warnings).toEqual([])
  })

  it('keeps today\'s rules past a mark: UTF-16 cut mid-character is said, NULs (binary, UTF-32) and no mark are refused', () => {
    const warnings: string[] = []
    const odd = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le'), Buffer.from([0x41])])
    expect(stdinText(odd, (line) => warnings.push(line))).toBe('hi\uFFFD')
    expect(warnings).toEqual(['stdin is not all UTF-16 LE: 1 sequence of bytes could not be read and became "\uFFFD" in the prompt'])
    // UTF-32 LE's mark starts as UTF-16 LE's; and UTF-16 without a mark is not guessed at.
    expect(() => stdinText(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from([0x68, 0, 0, 0])]), () => {})).toThrow(/binary file/)
    expect(() => stdinText(Buffer.from('hi', 'utf16le'), () => {})).toThrow(/binary file/)
  })
})
