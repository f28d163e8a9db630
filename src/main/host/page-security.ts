import type { IncomingHttpHeaders } from 'node:http'

/** The names browser mode answers to: a page reached under any other name (DNS rebinding) is refused. */
export function ownHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

/**
 * Whether a request's Host header names this machine by one of browser mode's names: `127.0.0.1` or `localhost`,
 * exactly, with any port (a test's proxy, a port forward). DNS rebinding needs the attacker's own name in the Host,
 * and that is what is refused; the port is the Origin check's business.
 */
export function hostAllowed(headers: IncomingHttpHeaders): boolean {
  const host = headers.host?.toLowerCase()
  if (host === undefined) return false
  const match = /^(127\.0\.0\.1|localhost)(?::(\d{1,5}))?$/.exec(host)
  return match !== null
}

/**
 * The headers every browser-mode response carries. The CSP is the page's own meta policy, plus what only a header
 * can say: no page may frame Parley (`frame-ancestors 'none'`, and X-Frame-Options for older engines), no `<base>`,
 * no forms, no plugins; and no Referer leaves the page (its URL has the token in the fragment, which is never sent,
 * but no address is everyone's business).
 */
export function securityHeaders(port: number): Record<string, string> {
  const sockets = ownHosts(port).map((host) => `ws://${host}`).join(' ')
  const csp = [
    "default-src 'self'",
    `connect-src 'self' ${sockets}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
  return {
    'Content-Security-Policy': csp,
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff'
  }
}
