import { fstatSync } from 'node:fs'
import { UsageError } from '../launch-settings'

/**
 * The prompt of `parley run`: its words, then stdin when something was piped in (`git diff | parley run "review
 * this"`), a blank line between. With no words, stdin is the whole prompt.
 */
export function joinPrompt(words: readonly string[], stdin: string | null): string {
  const given = words.join(' ').trim()
  const piped = stdin?.replace(/\s+$/, '') ?? ''
  const prompt = given && piped ? `${given}\n\n${piped}` : given || piped
  if (prompt.trim() === '') {
    throw new UsageError('There is no prompt: give it as words, or pipe it in (echo "hello" | parley run).')
  }
  return prompt
}

/** Where stdin comes from, as far as reading it goes. */
export type StdinKind = 'terminal' | 'piped' | 'other'

/**
 * A pipe or a redirected file is read; a terminal never is (it would wait for typing). Anything else (a socket a
 * parent process left open, /dev/null) is read only when there are no words, so a script's `parley run "…"` never
 * hangs on a stdin it did not mean to give.
 */
export function stdinKind(fd = 0): StdinKind {
  try {
    const stat = fstatSync(fd)
    if (stat.isFIFO() || stat.isFile()) return 'piped'
    return stat.isCharacterDevice() && process.stdin.isTTY ? 'terminal' : 'other'
  } catch {
    return 'other'
  }
}

export function shouldReadStdin(kind: StdinKind, words: readonly string[]): boolean {
  return kind === 'piped' || (kind === 'other' && words.length === 0)
}

/** All of stdin, as text (UTF-8, or UTF-16 with a byte order mark: see `stdinText`); `warn` hears what could not be read as such. */
export async function readStdin(warn: (line: string) => void, stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return stdinText(Buffer.concat(chunks), warn)
}

/**
 * Piped bytes as the prompt's text. A byte order mark says how the text is written: UTF-16 LE or BE (PowerShell's `>`,
 * Notepad's "Unicode", many Windows tools) is decoded as such, and UTF-8's mark is dropped; without one the bytes are
 * UTF-8. A binary file (`cat photo.png | parley run`: it holds NUL bytes, which UTF-8 text never does) is refused,
 * pointing at --attach, rather than sent to the model as thousands of replacement characters. Other bytes that are
 * not UTF-8 (a Latin-1 file) are replaced by U+FFFD, as the window's paste would, and `warn` is told how many, so the
 * answer to a garbled prompt is not a surprise.
 */
export function stdinText(bytes: Uint8Array, warn: (line: string) => void): string {
  const { encoding, body } = byteOrder(bytes)
  let text: string
  let whole = true
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body)
  } catch {
    text = new TextDecoder(encoding, { ignoreBOM: true }).decode(body)
    whole = false
  }
  // Text never holds U+0000, in UTF-8 or UTF-16: what does is binary (or UTF-32, whose mark starts as UTF-16 LE's).
  if (text.includes('\u0000')) throw new UsageError(binaryRefusal)
  if (!whole) {
    const replaced = [...text].filter((char) => char === '\uFFFD').length
    const name = encoding === 'utf-8' ? 'UTF-8' : encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'
    warn(`stdin is not all ${name}: ${replaced} ${replaced === 1 ? 'sequence' : 'sequences'} of bytes could not be read and became "\uFFFD" in the prompt`)
  }
  return text
}

const binaryRefusal = 'stdin looks like a binary file (it holds NUL bytes): send a file with --attach FILE, and pipe in only text.'

type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be'

/** The encoding a byte order mark at the start names (UTF-8 without one), and the bytes after the mark. */
export function byteOrder(bytes: Uint8Array): { encoding: TextEncoding; body: Uint8Array } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', body: bytes.subarray(3) }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', body: bytes.subarray(2) }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', body: bytes.subarray(2) }
  return { encoding: 'utf-8', body: bytes }
}
