import { describe, expect, it } from 'vitest'
import { limits } from '../../../shared'
import { longPromptText, overLimitText, pastedTextName, promptAsFile } from './long-prompt'

describe('a prompt too long to go as text', () => {
  it('is said plainly with its length and the limit; a prompt at the limit is not', () => {
    expect(longPromptText('x'.repeat(limits.promptChars))).toBeNull()
    expect(longPromptText('x'.repeat(1_546_830))).toBe(
      'This prompt is 1,546,830 characters; at most 200,000 go as text. Send it as a file instead?'
    )
  })

  it('has a first sentence of its own, for the edit box of a sent prompt, which offers no file', () => {
    expect(overLimitText('x'.repeat(limits.promptChars))).toBeNull()
    expect(overLimitText('x'.repeat(1_546_830))).toBe('This prompt is 1,546,830 characters; at most 200,000 go as text.')
  })

  it('becomes a text file named pasted text.txt holding exactly the prompt', async () => {
    const prompt = 'line one\nline two, with é and 😀\n'
    const file = promptAsFile(prompt)
    expect([file.name, file.type]).toEqual([pastedTextName, 'text/plain'])
    expect(await file.text()).toBe(prompt)
  })
})
