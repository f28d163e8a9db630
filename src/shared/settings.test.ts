import { describe, expect, it } from 'vitest'
import { apiKeySchema, providerConfigSchema, providerTargetSchema, providerUrlSchema, settingsPatchSchema } from './settings'

describe("a provider's address: one rule wherever it comes from (issue 13, finding 7)", () => {
  it.each(['http://127.0.0.1:11434/v1', 'https://api.openai.com/v1', 'http://[::1]:8080', 'HTTPS://Example.com'])('takes %s', (url) => {
    expect(providerUrlSchema.safeParse(url).success).toBe(true)
  })

  it.each([
    ['file:///etc/passwd', /http:\/\/ or https:\/\//],
    ['javascript:alert(1)', /http:\/\/ or https:\/\//],
    ['data:text/plain,hi', /http:\/\/ or https:\/\//],
    ['ftp://example.com', /http:\/\/ or https:\/\//],
    ['https://user:sk-secret@example.com/v1', /user name and password/],
    ['https://sk-secret@example.com/v1', /user name and password/],
    ['not a url', /http:\/\/ or https:\/\//]
  ])('refuses %s, saying why', (url, why) => {
    const parsed = providerUrlSchema.safeParse(url)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toMatch(why)
  })

  it('holds for saved providers, for the form being tested, and so for updateSettings', () => {
    const provider = { id: 'p', kind: 'openai', name: 'P', baseUrl: 'file:///etc/passwd' }
    expect(providerConfigSchema.safeParse(provider).success).toBe(false)
    expect(providerTargetSchema.safeParse({ kind: 'openai', baseUrl: 'javascript:alert(1)' }).success).toBe(false)
    expect(settingsPatchSchema.safeParse({ providers: [provider] }).success).toBe(false)
  })
})

describe('an API key (issue 13, finding 6)', () => {
  it('trims what pasting adds around it', () => {
    expect(apiKeySchema.parse('  sk-abc123\n')).toBe('sk-abc123')
  })

  it.each(['sk-abc\nAuthorization: x', 'sk abc', 'sk-\u0000abc', 'sk-\tabc'])('refuses one with whitespace or control characters inside: %j', (key) => {
    const parsed = apiKeySchema.safeParse(key)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toMatch(/no spaces, line breaks or control characters/)
  })

  it('is checked in updateSettings and in the form being tested', () => {
    expect(settingsPatchSchema.safeParse({ apiKey: { providerId: 'p', key: 'a\nb' } }).success).toBe(false)
    expect(settingsPatchSchema.safeParse({ apiKey: { providerId: 'p', key: null } }).success).toBe(true)
    expect(providerTargetSchema.safeParse({ kind: 'openai', baseUrl: 'http://x.test', apiKey: 'a\nb' }).success).toBe(false)
  })
})
