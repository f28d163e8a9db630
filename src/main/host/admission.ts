import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { bridgePath, bridgeProtocol, tokenProtocolPrefix } from '../../shared'
import { hostAllowed } from './page-security'

/**
 * Who may open the bridge's WebSocket. A browser page proves it was opened from the URL `npm run web` printed by
 * presenting the token; the Origin check stops other sites' pages (and DNS-rebinding tricks) from riding along.
 *
 * The token travels in the `Sec-WebSocket-Protocol` header, as the subprotocol `parley.token.<token>` offered next to
 * `parley.v1`, so it never appears in a URL, a log line or the browser's history. The server answers with
 * `parley.v1` only: the token is never echoed back.
 */

/** A fresh token: 32 random bytes, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex')
}

/** Compares in constant time: both sides are hashed first, so neither their contents nor their lengths leak. */
export function tokensMatch(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(expected))
}

export interface UpgradeRequest {
  url: string | undefined
  headers: IncomingHttpHeaders
  /** The port the request came in on: the server's own origin is on it. */
  localPort: number | undefined
}

export interface Refusal {
  status: 400 | 401 | 403 | 404
  reason: string
}

/** The origins of our own pages. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`]
}

/**
 * Decides a WebSocket upgrade: null to accept it, or why not. The path must be /parley; an Origin, when the client
 * sends one (browsers always do), must be our own; and the token must match. A client without an Origin (the
 * tests, a command line) is let in on the token alone.
 */
export function admitUpgrade(request: UpgradeRequest, token: string): Refusal | null {
  if (pathOf(request.url) !== bridgePath) return { status: 404, reason: 'There is nothing to connect to here.' }
  if (!hostAllowed(request.headers)) {
    return { status: 403, reason: 'Parley answers only to 127.0.0.1 and localhost.' }
  }
  const origin = request.headers.origin
  if (origin !== undefined && (request.localPort === undefined || !ownOrigins(request.localPort).includes(origin))) {
    return { status: 403, reason: 'Pages from another origin may not connect to Parley.' }
  }
  const offered = offeredProtocols(request.headers['sec-websocket-protocol'])
  const presented = offered.find((p) => p.startsWith(tokenProtocolPrefix))?.slice(tokenProtocolPrefix.length)
  if (presented === undefined || !tokensMatch(presented, token)) {
    return { status: 401, reason: 'Open the address that `npm run web` printed: it carries the token.' }
  }
  if (!offered.includes(bridgeProtocol)) {
    return { status: 400, reason: `Connect with the subprotocol ${bridgeProtocol}.` }
  }
  return null
}

function pathOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? '/', 'http://127.0.0.1').pathname
  } catch {
    return null
  }
}

function offeredProtocols(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '')
  return joined
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
}
