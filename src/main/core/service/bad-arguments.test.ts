import { describe, expect, it } from 'vitest'
import { apiMethods, limits } from '../../../shared'
import { badArgumentsText } from './bad-arguments'

function refusal(method: keyof typeof apiMethods, args: unknown): string {
  const parsed = apiMethods[method].args.safeParse(args)
  if (parsed.success) throw new Error('the arguments were valid')
  return badArgumentsText(method, parsed.error, args)
}

describe('badArgumentsText: a refused call said in sentences', () => {
  it('a prompt over its limit says what it is and how long, in words, never zod’s', () => {
    const prompt = 'x'.repeat(1_546_830)
    expect(refusal('enqueue', [{ sessionId: 's1', prompt }])).toBe('The prompt is too long: 1,546,830 characters, at most 200,000.')
    expect(limits.promptChars).toBe(200_000)
  })

  it('names other problems with where they are, after the too-long one', () => {
    const text = refusal('enqueue', [{ sessionId: '', prompt: 'x'.repeat(limits.promptChars + 1) }])
    expect(text.split('\n')[0]).toBe('The prompt is too long: 200,001 characters, at most 200,000.')
    expect(text).toMatch(/^The arguments to enqueue are not valid: .*\n?.*\[0\]\.sessionId/m)
    expect(text).not.toContain('→ at [0].prompt')
  })

  it('a call with only other problems reads as before', () => {
    expect(refusal('enqueue', [{ sessionId: 's1' }])).toMatch(/^The arguments to enqueue are not valid: /)
  })
})
