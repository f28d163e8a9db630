import { describe, expect, it } from 'vitest'
import { hostAllowed, securityHeaders } from './page-security'

describe('page security', () => {
  it('allows exactly its own names and port', () => {
    expect(hostAllowed({ host: '127.0.0.1:4000' }, 4000)).toBe(true)
    expect(hostAllowed({ host: 'LocalHost:4000' }, 4000)).toBe(true)
    for (const host of ['127.0.0.1:40001', '127.0.0.1:400', 'evil.example:4000', '127.0.0.1', '[::1]:4000']) {
      expect(hostAllowed({ host }, 4000), host).toBe(false)
    }
    expect(hostAllowed({}, 4000)).toBe(false)
    expect(hostAllowed({ host: '127.0.0.1:4000' }, undefined)).toBe(false)
  })

  it("the CSP lets the page reach only its own socket, and no one frame it", () => {
    const headers = securityHeaders(4000)
    const csp = headers['Content-Security-Policy'] ?? ''
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining(["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "connect-src 'self' ws://127.0.0.1:4000 ws://localhost:4000"])
    )
    expect(headers['Referrer-Policy']).toBe('no-referrer')
  })
})
