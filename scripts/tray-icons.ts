// Draws the tray icons in resources/ (a speech bubble with three dots) and writes them as PNGs, so the repository
// holds real images without an image tool. Run it again after changing the drawing:
//   node --import tsx scripts/tray-icons.ts
// Two sets, because the trays differ (src/main/desktop/tray-icon.ts picks one):
//   tray-icon.png (32 px) and @2x (64 px): Windows and Linux, a coloured bubble that reads on light and dark bars.
//   tray-iconTemplate.png (16 px) and @2x (32 px): macOS, black on transparent; the "Template" suffix lets the
//   menu bar tint it for light and dark mode, and 16 pt is the menu bar's icon size.
import { writeFileSync } from 'node:fs'
import { deflateSync, crc32 } from 'node:zlib'
import { fileURLToPath } from 'node:url'

type Rgba = readonly [number, number, number, number]

/** Whether a point of the unit square (y down) is inside the bubble, and whether it is on one of the dots. */
function shapeAt(x: number, y: number): 'dot' | 'bubble' | 'outside' {
  const dots = [0.3, 0.5, 0.7].some((cx) => (x - cx) ** 2 + (y - 0.43) ** 2 <= 0.075 ** 2)
  const inBody = insideRoundedRect(x, y, { left: 0.06, top: 0.12, right: 0.94, bottom: 0.74, radius: 0.18 })
  const inTail = insideTriangle(x, y, [0.2, 0.66], [0.46, 0.7], [0.16, 0.93])
  if (!inBody && !inTail) return 'outside'
  return dots ? 'dot' : 'bubble'
}

function insideRoundedRect(
  x: number,
  y: number,
  r: { left: number; top: number; right: number; bottom: number; radius: number }
): boolean {
  if (x < r.left || x > r.right || y < r.top || y > r.bottom) return false
  const cx = Math.min(Math.max(x, r.left + r.radius), r.right - r.radius)
  const cy = Math.min(Math.max(y, r.top + r.radius), r.bottom - r.radius)
  return (x - cx) ** 2 + (y - cy) ** 2 <= r.radius ** 2
}

function insideTriangle(x: number, y: number, a: [number, number], b: [number, number], c: [number, number]): boolean {
  const side = (p: [number, number], q: [number, number]): number => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])
  const [d1, d2, d3] = [side(a, b), side(b, c), side(c, a)]
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0))
}

/** Renders `size`×`size` RGBA pixels, with 4×4 samples per pixel for smooth edges. */
function render(size: number, colours: { bubble: Rgba; dot: Rgba }): Uint8Array {
  const samples = 4
  const pixels = new Uint8Array(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Colour premultiplied by alpha, summed over the samples, so edges blend toward transparent, not black.
      let [red, green, blue, opacity] = [0, 0, 0, 0]
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const shape = shapeAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
          if (shape === 'outside') continue
          const [r, g, b, a] = colours[shape]
          red += r * a
          green += g * a
          blue += b * a
          opacity += a
        }
      }
      const offset = (py * size + px) * 4
      if (opacity > 0) {
        pixels[offset] = Math.round(red / opacity)
        pixels[offset + 1] = Math.round(green / opacity)
        pixels[offset + 2] = Math.round(blue / opacity)
      }
      pixels[offset + 3] = Math.round(opacity / samples ** 2)
    }
  }
  return pixels
}

/** A PNG of 8-bit RGBA pixels: signature, IHDR, one IDAT (each row with filter 0), IEND. */
function encodePng(size: number, pixels: Uint8Array): Buffer {
  const rows = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0
    Buffer.from(pixels.buffer, pixels.byteOffset + y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

const indigo: Rgba = [79, 70, 229, 255]
const white: Rgba = [255, 255, 255, 255]
const black: Rgba = [0, 0, 0, 255]
const clear: Rgba = [0, 0, 0, 0]

const icons: { file: string; size: number; colours: { bubble: Rgba; dot: Rgba } }[] = [
  { file: 'tray-icon.png', size: 32, colours: { bubble: indigo, dot: white } },
  { file: 'tray-icon@2x.png', size: 64, colours: { bubble: indigo, dot: white } },
  { file: 'tray-iconTemplate.png', size: 16, colours: { bubble: black, dot: clear } },
  { file: 'tray-iconTemplate@2x.png', size: 32, colours: { bubble: black, dot: clear } }
]

for (const icon of icons) {
  const path = fileURLToPath(new URL(`../resources/${icon.file}`, import.meta.url))
  writeFileSync(path, encodePng(icon.size, render(icon.size, icon.colours)))
  console.log(`wrote ${path}`)
}
