import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { bridgeProtocol, wireLimits } from '../../shared'

/**
 * The local socket's framing, shared by the host (local-socket.ts) and the command line's client: the bridge's own
 * frames (src/shared/wire.ts), one JSON object a line. The first line each way is a hello naming `parley.v1`, so a
 * peer that speaks something else is refused before any frame of it is read as a call.
 */

/** The longest line either side reads: the WebSocket's own frame limit. */
export const maxLineBytes = wireLimits.maxFrameBytes

export const localHelloSchema = z.object({ kind: z.literal('hello'), protocol: z.literal(bridgeProtocol) }).strict()
export type LocalHello = z.infer<typeof localHelloSchema>
export const localHello: LocalHello = { kind: 'hello', protocol: bridgeProtocol }

/** The socket's file name in the data folder (Unix), beside parley.lock. */
export const localSocketFileName = 'parley.sock'

/**
 * Where the Parley on `dataDir` listens: a Unix domain socket in the folder, or on Windows a named pipe named after
 * the folder's path (pipes live in their own namespace, not in the file system).
 */
export function localSocketPath(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  const folder = resolve(dataDir)
  if (platform === 'win32') {
    const digest = createHash('sha256').update(folder.toLowerCase(), 'utf8').digest('hex').slice(0, 32)
    return `\\\\.\\pipe\\parley-${digest}`
  }
  return join(folder, localSocketFileName)
}

/**
 * Cuts a byte stream into lines. `push` answers the complete lines so far, or `too-long` once a line (finished or
 * not) passes `maxBytes`: the peer is then refused, not buffered without end.
 */
export class LineReader {
  private pending: Buffer[] = []
  private pendingBytes = 0

  constructor(private readonly maxBytes: number = maxLineBytes) {}

  push(chunk: Buffer): string[] | 'too-long' {
    const lines: string[] = []
    let start = 0
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline)
      if (this.pendingBytes + piece.length > this.maxBytes) return 'too-long'
      lines.push(Buffer.concat([...this.pending, piece]).toString('utf8'))
      this.pending = []
      this.pendingBytes = 0
      start = newline + 1
    }
    const rest = chunk.subarray(start)
    if (this.pendingBytes + rest.length > this.maxBytes) return 'too-long'
    if (rest.length > 0) {
      this.pending.push(Buffer.from(rest))
      this.pendingBytes += rest.length
    }
    return lines
  }
}

/** Parses one line as JSON; undefined when it is not JSON. */
export function parseLine(line: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(line) as unknown }
  } catch {
    return undefined
  }
}
