import { attachmentLimits, ParleyError, type AttachmentKind } from '../../../shared'

/** What a file's bytes turned out to be: the kind Parley sends it as, and the type it names it with. */
export interface SniffedKind {
  kind: AttachmentKind
  mimeType: string
}

/** The image types models take. */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'

/** Extensions read as text or code (lower case, without the dot). */
const textExtensions = new Set(
  (
    'txt md markdown rst csv tsv log json jsonl yaml yml toml ini cfg conf xml html htm css scss less js mjs cjs jsx ts ' +
    'tsx py rb go rs java kt kts swift c h cc cpp hpp cs m mm php pl lua r sql sh bash zsh fish ps1 bat tex bib ' +
    'vue svelte dart scala clj ex exs erl hs ml fs elm nim zig proto graphql gql env gitignore dockerfile makefile'
  ).split(' ')
)
/** File names without an extension that are code. */
const textNames = new Set(['dockerfile', 'makefile', 'readme', 'license', 'gemfile', 'rakefile', 'procfile'])

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase()
}

function megabytes(bytes: number): string {
  return `${bytes / (1024 * 1024)} MB`
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((byte, i) => bytes[at + i] === byte)
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0))

/** The image type its first bytes say, or undefined. */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp'
  return undefined
}

/** Whether an image of this type is whole: its end marker is there (or, for WebP, all the bytes its header counts). */
export function imageIsWhole(type: ImageType, bytes: Uint8Array): boolean {
  const end = trimTrailingZeros(bytes)
  switch (type) {
    case 'image/png':
      // The IEND chunk: its type and CRC are fixed.
      return end.length >= 8 + 12 && startsWith(end, [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82], end.length - 8)
    case 'image/jpeg':
      return end.length >= 4 && end[end.length - 2] === 0xff && end[end.length - 1] === 0xd9
    case 'image/gif':
      return end.length > 13 && end[end.length - 1] === 0x3b
    case 'image/webp': {
      if (bytes.length < 12) return false
      const riffSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true)
      return riffSize + 8 <= bytes.length
    }
  }
}

/**
 * Whether a GIF has more than one frame (an animation), by walking its blocks: extensions and images are skipped by
 * their sub-block lengths, nothing is decoded. A GIF cut short counts the frames it has.
 */
export function gifIsAnimated(bytes: Uint8Array): boolean {
  if (bytes.length < 13) return false
  const packed = bytes[10] ?? 0
  let at = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0)
  let frames = 0
  const skipSubBlocks = (): void => {
    while (at < bytes.length) {
      const size = bytes[at] ?? 0
      at += 1 + size
      if (size === 0) return
    }
  }
  while (at < bytes.length) {
    const block = bytes[at]
    if (block === 0x21) {
      at += 2
      skipSubBlocks()
    } else if (block === 0x2c) {
      frames += 1
      if (frames > 1) return true
      const local = bytes[at + 9] ?? 0
      at += 10 + (local & 0x80 ? 3 * 2 ** ((local & 0x07) + 1) : 0) + 1
      skipSubBlocks()
    } else {
      return false
    }
  }
  return false
}

/** Some writers pad a file with zeros after its end marker. */
function trimTrailingZeros(bytes: Uint8Array): Uint8Array {
  let end = bytes.length
  while (end > 0 && bytes[end - 1] === 0) end -= 1
  return bytes.subarray(0, end)
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** The text of bytes that are valid UTF-8 with no NUL (a BOM is dropped), or undefined. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

/** Whether a file's name or declared type says text or code. */
function namedText(name: string, mimeType: string): boolean {
  const type = mimeType.toLowerCase().split(';')[0]?.trim() ?? ''
  if (type.startsWith('text/')) return true
  if (type === 'application/json' || type.endsWith('+json') || type === 'application/xml' || type.endsWith('+xml')) return true
  if (type === 'application/javascript' || type === 'application/x-sh' || type === 'application/x-yaml') return true
  const base = name.toLowerCase().split(/[\\/]/).pop() ?? ''
  return textExtensions.has(extensionOf(base)) || textNames.has(base)
}

function declaredImage(name: string, mimeType: string): boolean {
  return mimeType.toLowerCase().startsWith('image/') || ['png', 'jpg', 'jpeg', 'gif', 'webp'].includes(extensionOf(name))
}

function declaredPdf(name: string, mimeType: string): boolean {
  return mimeType.toLowerCase() === 'application/pdf' || extensionOf(name) === 'pdf'
}

const pdfMagic = ascii('%PDF-')

/**
 * Decides what a file is from its bytes first (images and PDFs by their magic bytes) and its name and declared type
 * second (text and code), and checks it against its limit. Throws `AttachmentTooLarge` (naming the limit),
 * `AttachmentDamaged` (an image that is cut short, a file that says it is an image or a PDF and is not) or
 * `AttachmentUnsupported`. A PDF's structure is checked later, when its text is read (`pdf-text.ts`).
 */
export function sniffKind(
  name: string,
  mimeType: string,
  bytes: Uint8Array,
  isUtf8: () => boolean = () => utf8Text(bytes) !== undefined
): SniffedKind {
  const image = sniffImage(bytes)
  if (image) {
    refuseOver(name, bytes.length, attachmentLimits.imageBytes, 'an image')
    if (!imageIsWhole(image, bytes)) {
      throw new ParleyError('AttachmentDamaged', `${name} is damaged: the ${image.slice(6).toUpperCase()} image is cut short or broken.`)
    }
    return { kind: 'image', mimeType: image }
  }
  refuseOver(name, bytes.length, attachmentLimits.fileBytes, 'a file')
  if (startsWith(bytes, pdfMagic)) return { kind: 'pdf', mimeType: 'application/pdf' }
  if (declaredPdf(name, mimeType)) {
    throw new ParleyError('AttachmentDamaged', `${name} is damaged: it says it is a PDF, but it does not start like one.`)
  }
  if (declaredImage(name, mimeType) && !namedText(name, mimeType)) {
    const type = mimeType || extensionOf(name)
    if (/svg|bmp|tiff|heic|heif|avif|ico/i.test(type)) {
      throw new ParleyError('AttachmentUnsupported', `${name}: Parley sends PNG, JPEG, GIF and WebP images, not ${type}.`)
    }
    throw new ParleyError('AttachmentDamaged', `${name} is damaged: it says it is an image, but its bytes are not a PNG, JPEG, GIF or WebP.`)
  }
  if (namedText(name, mimeType)) {
    if (!isUtf8()) {
      throw new ParleyError('AttachmentUnsupported', `${name} is not UTF-8 text, so Parley can't send it as text.`)
    }
    return { kind: 'text', mimeType: textMimeType(mimeType) }
  }
  throw new ParleyError(
    'AttachmentUnsupported',
    `${name}: Parley can send images (PNG, JPEG, GIF, WebP), text and code files, and PDFs; not this type${mimeType ? ` (${mimeType})` : ''}.`
  )
}

function textMimeType(declared: string): string {
  const type = declared.toLowerCase().split(';')[0]?.trim() ?? ''
  return type === '' || type === 'application/octet-stream' ? 'text/plain' : type
}

function refuseOver(name: string, size: number, limit: number, what: string): void {
  if (size > limit) {
    throw new ParleyError(
      'AttachmentTooLarge',
      `${name} is ${(size / (1024 * 1024)).toFixed(1)} MB: ${what} may be at most ${megabytes(limit)} (images 20 MB, other files 50 MB).`
    )
  }
}
