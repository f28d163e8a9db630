/** What a secret becomes in any sentence Parley shows, journals or logs. */
export const redactedMark = '[redacted]'

/** Pieces shorter than this are too common to be a key's (and replacing them would garble the sentence). */
const minSecretPiece = 8

/**
 * Takes keys out of a sentence: each key given (and each line of one with line breaks, as an older Parley stored
 * them), and whatever follows `Bearer` or an API-key header name, which a server or an SDK may echo back.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text
  const pieces = secrets.flatMap((secret) => [secret, ...secret.split(/\s+/)]).filter((piece) => piece.length >= minSecretPiece)
  // Longest first, so a key is replaced whole before any of its lines.
  for (const piece of [...new Set(pieces)].sort((a, b) => b.length - a.length)) out = out.split(piece).join(redactedMark)
  return out.replace(/\b(Bearer|x-api-key|api-key|authorization)(\s*[:=]?\s*)(?!\[redacted\])[^\s"',;]+/gi, `$1$2${redactedMark}`)
}
