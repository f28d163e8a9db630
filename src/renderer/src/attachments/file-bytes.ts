/**
 * What the attach worker does to a file's bytes, as plain functions (attach-worker.ts wires them to messages, and the
 * tests call them directly): read with progress, hash, encode, and size a thumbnail.
 */

/** The file could not be read: moved, deleted or made unreadable after it was chosen. */
export class FileVanished extends Error {
  constructor(name: string) {
    super(`${name} could not be read: it was moved, deleted or changed after it was attached.`)
    this.name = 'FileVanished'
  }
}

/**
 * Reads a whole file into one buffer, a chunk at a time, telling `onProgress` the fraction read. A file whose length
 * changed, or that can't be read any more, is `FileVanished`.
 */
export async function readAllBytes(
  file: { name: string; size: number; stream: () => ReadableStream<Uint8Array> },
  onProgress: (fraction: number) => void
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(file.size)
  let offset = 0
  try {
    const reader = file.stream().getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (offset + value.byteLength > bytes.byteLength) throw new FileVanished(file.name)
      bytes.set(value, offset)
      offset += value.byteLength
      onProgress(file.size === 0 ? 1 : offset / file.size)
    }
  } catch (error) {
    if (error instanceof FileVanished) throw error
    throw new FileVanished(file.name)
  }
  if (offset !== file.size) throw new FileVanished(file.name)
  return bytes
}

/** Lower-case hex SHA-256, as attachment ids are written. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  let hex = ''
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/** Base64 of any length without building one huge argument list (String.fromCharCode takes ~64k at a time). */
export function bytesToBase64(bytes: Uint8Array): string {
  const step = 0x8000
  const pieces: string[] = []
  for (let at = 0; at < bytes.length; at += step) {
    pieces.push(String.fromCharCode(...bytes.subarray(at, at + step)))
  }
  return btoa(pieces.join(''))
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** A thumbnail's size: the longer side at most `max`, never larger than the image. */
export function thumbnailSize(width: number, height: number, max = 256): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height, 1))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}
