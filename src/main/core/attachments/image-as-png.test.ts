import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { imageAsPng, imageSize, maxConvertedPixels } from './image-as-png'
import { alphaWebp, animatedGif, animatedGifFirstFrame, losslessWebp, losslessWebpPixels, lossyWebp, unreadableWebp } from './test-fixtures/tiny-images'

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function pixelsOf(png: Buffer): { width: number; height: number; data: number[] } {
  const read = PNG.sync.read(png)
  return { width: read.width, height: read.height, data: [...read.data] }
}

describe('imageAsPng: a GIF or WebP as a PNG an engine reads', () => {
  it('an animated GIF becomes a PNG of its first frame, and says how many frames it had', async () => {
    const made = await imageAsPng('image/gif', animatedGif)
    if (!made.ok) throw new Error(made.reason)
    expect([...made.png.subarray(0, 8)]).toEqual(pngSignature)
    expect(made.frames).toBe(2)
    expect(pixelsOf(made.png)).toEqual({ width: 2, height: 2, data: animatedGifFirstFrame })
  })

  it('a lossless WebP becomes a PNG of exactly its pixels', async () => {
    const made = await imageAsPng('image/webp', losslessWebp)
    if (!made.ok) throw new Error(made.reason)
    expect(made.frames).toBe(1)
    expect(pixelsOf(made.png)).toEqual({ width: 4, height: 3, data: losslessWebpPixels })
  })

  it('a lossy WebP, and one with an alpha channel (VP8X), become PNGs of their size; the alpha is kept', async () => {
    const lossy = await imageAsPng('image/webp', lossyWebp)
    const alpha = await imageAsPng('image/webp', alphaWebp)
    if (!lossy.ok || !alpha.ok) throw new Error('not converted')
    expect(pixelsOf(lossy.png)).toMatchObject({ width: 5, height: 4 })
    const withAlpha = pixelsOf(alpha.png)
    expect(withAlpha).toMatchObject({ width: 6, height: 2 })
    expect(withAlpha.data.filter((_, i) => i % 4 === 3).every((a) => Math.abs(a - 128) <= 2)).toBe(true)
  })

  it('the caller’s bytes are left as they were', async () => {
    const bytes = Buffer.from(animatedGif)
    await imageAsPng('image/gif', bytes)
    expect(bytes.equals(animatedGif)).toBe(true)
  })

  it('an image no decoder reads answers why, and no PNG', async () => {
    expect(await imageAsPng('image/webp', unreadableWebp())).toEqual({ ok: false, reason: expect.any(String) as string })
    expect(await imageAsPng('image/gif', animatedGif.subarray(0, 20))).toMatchObject({ ok: false })
  })

  it('an image over 50 million pixels is not decoded at all: its header says its size', async () => {
    const huge = Buffer.from(animatedGif)
    huge.writeUInt16LE(10_000, 6)
    huge.writeUInt16LE(10_000, 8)
    expect(10_000 * 10_000).toBeGreaterThan(maxConvertedPixels)
    expect(await imageAsPng('image/gif', huge)).toEqual({ ok: false, reason: expect.stringContaining('10000 × 10000 pixels') as string })
  })
})

describe('imageSize: an image’s size from its header', () => {
  it('reads a GIF’s logical screen and each kind of WebP (VP8, VP8L, VP8X)', () => {
    expect(imageSize('image/gif', animatedGif)).toEqual({ width: 2, height: 2 })
    expect(imageSize('image/webp', lossyWebp)).toEqual({ width: 5, height: 4 })
    expect(imageSize('image/webp', losslessWebp)).toEqual({ width: 4, height: 3 })
    expect(imageSize('image/webp', alphaWebp)).toEqual({ width: 6, height: 2 })
  })

  it('a header too short to read is undefined', () => {
    expect(imageSize('image/gif', animatedGif.subarray(0, 8))).toBeUndefined()
    expect(imageSize('image/webp', lossyWebp.subarray(0, 20))).toBeUndefined()
  })
})
