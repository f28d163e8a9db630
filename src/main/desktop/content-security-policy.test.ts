import { describe, expect, it } from 'vitest'
import { desktopContentSecurityPolicy, withContentSecurityPolicy } from './content-security-policy'

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/)
      return [name, sources.join(' ')]
    })
  )
}

describe("the desktop window's Content-Security-Policy", () => {
  it('allows scripts only from our own files: no inline script, no eval, no remote code', () => {
    const policy = directives(desktopContentSecurityPolicy)
    expect(policy.get('script-src')).toBe("'self'")
    expect(policy.get('default-src')).toBe("'self'")
    expect(desktopContentSecurityPolicy).not.toMatch(/unsafe-eval|\*|https?:|ws:/)
  })

  it('connects nowhere but our own origin, and allows no plugins, frames, forms or base change', () => {
    const policy = directives(desktopContentSecurityPolicy)
    expect(policy.get('connect-src')).toBe("'self'")
    for (const name of ['object-src', 'frame-src', 'base-uri', 'form-action', 'frame-ancestors']) {
      expect(policy.get(name), name).toBe("'none'")
    }
  })

  it('is added to the response headers, keeping the others and any policy already there', () => {
    const headers = withContentSecurityPolicy({
      'content-type': ['text/html'],
      'content-security-policy': ["default-src 'self'"]
    })
    expect(headers).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': ["default-src 'self'", desktopContentSecurityPolicy]
    })
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [desktopContentSecurityPolicy] })
  })
})
