/**
 * The desktop window's Content-Security-Policy, sent by main as a response header on top of the meta tag in
 * index.html (a page is held to both). It is stricter than the meta tag, which also serves browser mode: the
 * desktop renderer talks to main over IPC, so it connects nowhere but its own origin (the dev server's, for hot
 * reload), and it loads no plugins, frames or forms and cannot change its base URL.
 */
export const desktopContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/**
 * Response headers with our policy added. A policy the response already carries is kept: each one is enforced, so
 * adding ours can only narrow what the page may do. Header names are matched without regard to case.
 */
export function withContentSecurityPolicy(
  headers: Readonly<Record<string, string[]>> | undefined,
  policy: string = desktopContentSecurityPolicy
): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  let existing: string[] = []
  for (const [name, values] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') existing = [...existing, ...values]
    else out[name] = [...values]
  }
  out['Content-Security-Policy'] = [...existing, policy]
  return out
}
