import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64, FileVanished, readAllBytes, sha256Hex, thumbnailSize } from './file-bytes'

const text = (value: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(value)

describe('file bytes', () => {
  it('hashes to the known SHA-256 of "abc" and of nothing', async () => {
    expect(await sha256Hex(text('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(await sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })

  it('encodes base64 the way btoa does, past the 32k step, and back', () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 31) % 256)
    const encoded = bytesToBase64(bytes)
    let binary = ''
    for (const byte of bytes) binary += String.fromCharCode(byte)
    expect(encoded).toBe(btoa(binary))
    expect(base64ToBytes(encoded)).toEqual(bytes)
  })

  it('reads a file whole, reporting progress up to 1', async () => {
    const bytes = new Uint8Array(200_000).fill(7)
    const file = Object.assign(new Blob([bytes]), { name: 'seven.bin' })
    const seen: number[] = []
    expect(await readAllBytes(file, (fraction) => seen.push(fraction))).toEqual(bytes)
    expect(seen.at(-1)).toBe(1)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
  })

  it('calls a file that fails to read, or changed length, vanished', async () => {
    const failing = {
      name: 'gone.txt',
      size: 10,
      stream: () => new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(new DOMException('gone', 'NotFoundError')) })
    }
    await expect(readAllBytes(failing, () => undefined)).rejects.toBeInstanceOf(FileVanished)
    const shorter = { name: 'short.txt', size: 10, stream: () => new Blob([text('abc')]).stream() }
    await expect(readAllBytes(shorter, () => undefined)).rejects.toThrow('short.txt could not be read')
  })

  it('sizes thumbnails to 256 px on the longer side, never up', () => {
    expect(thumbnailSize(1024, 512)).toEqual({ width: 256, height: 128 })
    expect(thumbnailSize(300, 3000)).toEqual({ width: 26, height: 256 })
    expect(thumbnailSize(40, 30)).toEqual({ width: 40, height: 30 })
  })
})
