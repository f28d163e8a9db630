import { describe, expect, it } from 'vitest'
import { redactSecrets } from './redact'

describe('redactSecrets (issue 13, finding 6)', () => {
  it('takes a known key out of a sentence, wherever it is', () => {
    expect(redactSecrets('401: Incorrect API key provided: sk-abcdef123456.', ['sk-abcdef123456'])).toBe(
      '401: Incorrect API key provided: [redacted].'
    )
  })

  it('takes out each line of a key with a line break (as older versions stored them)', () => {
    const key = 'sk-firstline123\nsecondline4567'
    const text = 'Invalid header value: "Bearer sk-firstline123" then secondline4567 was sent'
    const redacted = redactSecrets(text, [key])
    expect(redacted).not.toContain('sk-firstline123')
    expect(redacted).not.toContain('secondline4567')
  })

  it('takes out what follows Bearer or an API-key header, even for a key it was not given', () => {
    expect(redactSecrets('Headers.append: "Bearer sk-unknown-999" is an invalid header value.')).toBe(
      'Headers.append: "Bearer [redacted]" is an invalid header value.'
    )
    expect(redactSecrets('x-api-key: abc123def456 rejected')).toBe('x-api-key: [redacted] rejected')
    expect(redactSecrets('Authorization=Basic')).toBe('Authorization=[redacted]')
  })

  it('leaves a sentence without secrets as it is', () => {
    const text = 'Parley could not reach http://127.0.0.1:11434/v1: connection refused.'
    expect(redactSecrets(text, ['sk-abcdef123456', 'short'])).toBe(text)
  })
})
