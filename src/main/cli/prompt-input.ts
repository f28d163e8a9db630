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

/** All of stdin, as UTF-8 text (see `stdinText`); `warn` hears what could not be read as such. */
export async function readStdin(warn: (line: string) => void, stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return stdinText(Buffer.concat(chunks), warn)
}

/**
 * Piped bytes as the prompt's text. A binary file (`cat photo.png | parley run`: it holds NUL bytes, which text never
 * does) is refused, pointing at --attach, rather than sent to the model as thousands of replacement characters. Other
 * bytes that are not UTF-8 (a Latin-1 file) are replaced by U+FFFD, as the window's paste would, and `warn` is told
 * how many, so the answer to a garbled prompt is not a surprise.
 */
export function stdinText(bytes: Uint8Array, warn: (line: string) => void): string {
  if (bytes.includes(0)) {
    throw new UsageError('stdin looks like a binary file (it holds NUL bytes): send a file with --attach FILE, and pipe in only text.')
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes)
    const replaced = [...text].filter((char) => char === '\uFFFD').length
    warn(`stdin is not all UTF-8: ${replaced} ${replaced === 1 ? 'sequence' : 'sequences'} of bytes could not be read and became "\uFFFD" in the prompt`)
    return text
  }
}
