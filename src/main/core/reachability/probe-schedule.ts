/**
 * When to look at a provider again while prompts wait for it (rules C3, C6). A server on this machine comes back in
 * seconds (a restart, a model loading), so it is looked at every 1–2 s; a remote one backs off to 30 s, so that a
 * network outage doesn't turn into a stream of requests.
 */

/** The longest wait between looks at a provider on this machine. */
export const localMaxDelayMs = 2000
/** The longest wait between looks at a remote provider (rule C3). */
export const remoteMaxDelayMs = 30_000

/**
 * Whether a base URL points at this machine: `localhost` (and `*.localhost`), `127.0.0.0/8`, `::1`. Anything that
 * isn't a URL counts as remote.
 */
export function isLoopbackUrl(baseUrl: string): boolean {
  let host: string
  try {
    host = new URL(baseUrl).hostname.toLowerCase()
  } catch {
    return false
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true
  // IPv4-mapped loopback, as the URL parser spells it: ::ffff:7f00:1.
  if (/^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host)) return true
  const octets = host.split('.')
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)
  )
}

/** The wait before look number `attempt` (0-based): doubling from `baseMs`, capped by where the server is. */
export function probeDelayMs(attempt: number, where: 'local' | 'remote', baseMs = 1000): number {
  const cap = where === 'local' ? localMaxDelayMs : remoteMaxDelayMs
  return Math.min(cap, baseMs * 2 ** Math.min(attempt, 30))
}
