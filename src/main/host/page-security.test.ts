import { describe, expect, it } from 'vitest'
import { hostAllowed, securityHeaders } from './page-security'

describe('page security', () => {
  it('allows exactly its own names, on any port (a proxy), and refuses any other name (DNS rebinding)', () => {
    for (const host of ['127.0.0.1:4000', 'LocalHost:4000', '127.0.0.1:40001', 'localhost', '127.0.0.1']) {
      expect(hostAllowed({ host }), host).toBe(true)
    }
    for (const host of ['evil.example:4000', '127.0.0.1.evil.example:4000', 'localhost.evil.example', '[::1]:4000', '127.0.0.1:4000@evil', '127.0.0.2:4000', '']) {
      expect(hostAllowed({ host }), host).toBe(false)
    }
    expect(hostAllowed({})).toBe(false)
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
