import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { z } from 'zod'
import { answerFromWorker } from './worker-answer'

/** The image types Parley turns into PNG for a server that may not read them (`providers/server-images.ts`). */
export type ConvertibleImageType = 'image/gif' | 'image/webp'

/**
 * The most pixels an image is converted with: 50 million (a 10,000 × 5,000 image, 200 MB decoded). Every engine
 * scales an image down to its model's size anyway; a bigger one is sent as it is.
 */
export const maxConvertedPixels = 50_000_000

/**
 * The worker's code: the GIF's first frame (omggif) or the WebP (libwebp compiled to WebAssembly, @jsquash/webp),
 * decoded to RGBA and written as a PNG (pngjs). Plain JavaScript passed as a string, so it runs the same from the
 * sources (tests) and from the bundle (the app); the libraries are imported from the paths main resolved.
 */
const workerCode = `
const { parentPort, workerData } = require('node:worker_threads')
const { readFileSync } = require('node:fs')
const cjs = (module) => module.default ?? module
parentPort.once('message', async ({ type, bytes }) => {
  try {
    let width, height, rgba, frames = 1
    if (type === 'image/gif') {
      const { GifReader } = cjs(await import(workerData.omggifUrl))
      const gif = new GifReader(bytes)
      width = gif.width
      height = gif.height
      frames = gif.numFrames()
      if (frames < 1) throw new Error('the GIF has no frame')
      rgba = new Uint8Array(width * height * 4)
      gif.decodeAndBlitFrameRGBA(0, rgba)
    } else {
      const webp = await import(workerData.webpDecodeUrl)
      await webp.init(await WebAssembly.compile(readFileSync(workerData.webpWasmPath)))
      const image = await webp.default(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
      width = image.width
      height = image.height
      rgba = image.data
    }
    const { PNG } = cjs(await import(workerData.pngjsUrl))
    const png = new PNG({ width, height })
    png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength)
    const out = PNG.sync.write(png)
    const copy = new Uint8Array(out)
    parentPort.postMessage({ ok: true, png: copy, width, height, frames }, [copy.buffer])
  } catch (error) {
    parentPort.postMessage({ ok: false, reason: String(error && error.message ? error.message : error) })
  }
})
`

const answerSchema = z.union([
  z.object({
    ok: z.literal(true),
    png: z.instanceof(Uint8Array),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    frames: z.number().int().positive()
  }),
  z.object({ ok: z.literal(false), reason: z.string() })
])

/** A PNG made of an image (`frames`: how many the original had; only the first is in the PNG), or why not. */
export type PngFromImage =
  | { ok: true; png: Buffer; width: number; height: number; frames: number }
  | { ok: false; reason: string }

interface LibraryPaths {
  omggifUrl: string
  pngjsUrl: string
  webpDecodeUrl: string
  webpWasmPath: string
}

let libraries: LibraryPaths | undefined

function resolveLibraries(): LibraryPaths {
  if (libraries) return libraries
  const require = createRequire(import.meta.url)
  const url = (specifier: string): string => pathToFileURL(require.resolve(specifier)).href
  libraries = {
    omggifUrl: url('omggif'),
    pngjsUrl: url('pngjs'),
    webpDecodeUrl: url('@jsquash/webp/decode.js'),
    webpWasmPath: require.resolve('@jsquash/webp/codec/dec/webp_dec.wasm')
  }
  return libraries
}

/**
 * An image's width and height from its header, without decoding it: a GIF's logical screen, a WebP's canvas (VP8X),
 * lossless (VP8L) or lossy (VP8) frame. Undefined when the header can't be read.
 */
export function imageSize(type: ConvertibleImageType, bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (type === 'image/gif') {
    if (bytes.length < 10) return undefined
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) }
  }
  if (bytes.length < 30) return undefined
  const chunk = String.fromCharCode(...bytes.subarray(12, 16))
  const uint24 = (at: number): number => view.getUint16(at, true) | (view.getUint8(at + 2) << 16)
  if (chunk === 'VP8X') return { width: uint24(24) + 1, height: uint24(27) + 1 }
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true)
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff }
  return undefined
}

/**
 * A GIF (its first frame) or a WebP as a PNG, decoded and encoded in a worker thread of its own so a large image never
 * stalls main's event loop. Answers `{ ok: false, reason }` for an image that can't be decoded, one over
 * `maxConvertedPixels`, or one that takes longer than `timeoutMs`. The caller's bytes stay as they are.
 */
export async function imageAsPng(type: ConvertibleImageType, bytes: Uint8Array, timeoutMs = 60_000): Promise<PngFromImage> {
  const size = imageSize(type, bytes)
  if (size && size.width * size.height > maxConvertedPixels) {
    return { ok: false, reason: `it is ${size.width} × ${size.height} pixels, more than Parley converts (50 million)` }
  }
  let paths: LibraryPaths
  try {
    paths = resolveLibraries()
  } catch (error) {
    return { ok: false, reason: `the image converter is missing (${error instanceof Error ? error.message : String(error)})` }
  }
  const copy = new Uint8Array(bytes)
  const answer = await answerFromWorker({
    code: workerCode,
    workerData: paths,
    message: { type, bytes: copy },
    transfer: [copy.buffer],
    schema: answerSchema,
    timeoutMs,
    who: 'the image converter',
    doing: 'converting it'
  })
  return answer.ok ? { ...answer, png: Buffer.from(answer.png.buffer, answer.png.byteOffset, answer.png.byteLength) } : answer
}
