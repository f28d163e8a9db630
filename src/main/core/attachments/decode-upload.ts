import { createHash } from 'node:crypto'

/** An upload's bytes, their SHA-256, and whether they are UTF-8 text with no NUL (what sniffing a text file needs). */
export interface DecodedUpload {
  bytes: Buffer
  id: string
  isUtf8: boolean
}

/** Base64 characters decoded (and their bytes hashed and checked) between two turns of the event loop: 768 KB of bytes. */
export const decodeSlice = 1024 * 1024

/** Whitespace a base64 encoder may wrap lines with (looked for with indexOf: a regex over 67 MB takes a while). */
const wrapping = ['\n', '\r', ' ', '\t']

/**
 * Decodes an upload's base64, hashes it and checks it for UTF-8, a slice at a time, yielding to the event loop between
 * slices: done at once, a 50 MB file (67 MB of base64) would hold main's loop for most of a second; a worker would
 * not help, since handing it the string copies it on the main thread (docs/decisions.md has the figures).
 */
export async function decodeUpload(base64: string): Promise<DecodedUpload> {
  // Base64 with line breaks (or anything else) can't be cut at any multiple of 4: decoded whole (rare, and small).
  if (base64.length <= decodeSlice || wrapping.some((c) => base64.includes(c))) return decodeSlices(base64, base64.length + 4)
  return decodeSlices(base64, decodeSlice)
}

async function decodeSlices(base64: string, slice: number): Promise<DecodedUpload> {
  const bytes = Buffer.allocUnsafe(Math.ceil(base64.length / 4) * 3)
  const digest = new UploadDigest()
  let written = 0
  for (let at = 0; at < base64.length; at += slice) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve))
    const n = bytes.write(base64.slice(at, at + slice), written, 'base64')
    digest.update(bytes.subarray(written, written + n))
    written += n
  }
  return { bytes: bytes.subarray(0, written), ...digest.finish() }
}

/** An upload's SHA-256 and UTF-8 check, fed its bytes in order, a chunk at a time (a parted upload's parts, or slices). */
export class UploadDigest {
  private readonly hash = createHash('sha256')
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true })
  private isUtf8 = true

  update(chunk: Uint8Array): void {
    this.hash.update(chunk)
    if (this.isUtf8) this.isUtf8 = !chunk.includes(0) && decodes(this.utf8, chunk, false)
  }

  /** The id, and whether the bytes were UTF-8 text with no NUL (a character cut short at the end is not). */
  finish(): { id: string; isUtf8: boolean } {
    const isUtf8 = this.isUtf8 && decodes(this.utf8, new Uint8Array(0), true)
    return { id: this.hash.digest('hex'), isUtf8 }
  }
}

/** Feeds one chunk to a streaming UTF-8 check (a character cut between two chunks is whole once the next comes). */
function decodes(decoder: TextDecoder, chunk: Uint8Array, last: boolean): boolean {
  try {
    decoder.decode(chunk, { stream: !last })
    return true
  } catch {
    return false
  }
}
