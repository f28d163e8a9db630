import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { trayIconPath } from './tray-icon'

const root = fileURLToPath(new URL('../../..', import.meta.url))

interface Png {
  width: number
  height: number
  /** Whether some pixels are transparent and some opaque: an icon, not a filled square. */
  hasShape: boolean
}

/** Reads a PNG strictly enough to trust it: signature, chunk CRCs, an 8-bit RGBA header, and pixels that inflate. */
function readPng(path: string): Png {
  const bytes = readFileSync(path)
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  let offset = 8
  let width = 0
  let height = 0
  const data: Buffer[] = []
  const types: string[] = []
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset)
    const type = bytes.toString('ascii', offset + 4, offset + 8)
    const body = bytes.subarray(offset + 4, offset + 8 + length)
    expect(bytes.readUInt32BE(offset + 8 + length), `${type} CRC`).toBe(crc32(body))
    const chunk = body.subarray(4)
    if (type === 'IHDR') {
      width = chunk.readUInt32BE(0)
      height = chunk.readUInt32BE(4)
      expect([chunk[8], chunk[9]]).toEqual([8, 6])
    }
    if (type === 'IDAT') data.push(chunk)
    types.push(type)
    offset += 12 + length
  }
  expect(types[0]).toBe('IHDR')
  expect(types.at(-1)).toBe('IEND')
  const rows = inflateSync(Buffer.concat(data))
  expect(rows.length).toBe(height * (width * 4 + 1))
  const alphas = new Set<number>()
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) alphas.add(rows[y * (width * 4 + 1) + 1 + x * 4 + 3] as number)
  }
  return { width, height, hasShape: alphas.has(0) && alphas.has(255) }
}

describe('the tray icon', () => {
  it('is the template image on macOS and the coloured one elsewhere, under resources/', () => {
    expect(trayIconPath('/app', 'darwin')).toBe(join('/app', 'resources', 'tray-iconTemplate.png'))
    expect(trayIconPath('/app', 'linux')).toBe(join('/app', 'resources', 'tray-icon.png'))
    expect(trayIconPath('/app', 'win32')).toBe(join('/app', 'resources', 'tray-icon.png'))
  })

  it('ships as valid PNGs, each with a @2x twice its size', () => {
    const sizes: Record<string, number> = { darwin: 16, linux: 32, win32: 32 }
    for (const [platform, size] of Object.entries(sizes)) {
      const path = trayIconPath(root, platform as NodeJS.Platform)
      const retina = path.replace(/\.png$/, '@2x.png')
      expect(existsSync(path), path).toBe(true)
      expect(readPng(path)).toEqual({ width: size, height: size, hasShape: true })
      expect(readPng(retina)).toEqual({ width: size * 2, height: size * 2, hasShape: true })
    }
  })
})
