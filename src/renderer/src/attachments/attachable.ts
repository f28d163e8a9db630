import { attachmentLimits, type AttachmentKind } from '../../../shared'

/** The parts of a File the window's checks read. */
export interface FileFacts {
  name: string
  type: string
  size: number
}

export type AttachCheck =
  | { ok: true; kind: AttachmentKind; mimeType: string }
  | { ok: false; code: 'AttachmentTooLarge' | 'AttachmentUnsupported'; message: string }

/** Images a vision model reads; other image types (TIFF, HEIC, BMP) providers refuse. */
const imageTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

/** Text and code the browser often names by no type, or by an application/* type. */
const textExtensions = new Set(
  (
    'txt md markdown csv tsv json jsonl yaml yml toml ini cfg conf log xml html htm css scss less svg ' +
    'js mjs cjs jsx ts tsx py rb go rs java kt kts swift c h cc cpp hpp cs php pl lua r sql sh bash zsh fish ps1 ' +
    'bat dart scala clj ex exs erl hs ml fs vue svelte astro tex rst adoc gradle makefile dockerfile env gitignore'
  ).split(' ')
)

const textApplicationTypes = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/typescript',
  'application/x-sh',
  'application/x-yaml',
  'application/yaml',
  'application/toml',
  'application/sql',
  'application/x-httpd-php'
])

function extensionOf(name: string): string {
  const base = name.toLowerCase().split(/[\\/]/).at(-1) ?? ''
  const dot = base.lastIndexOf('.')
  return dot >= 0 ? base.slice(dot + 1) : base
}

const megabytes = (bytes: number): number => bytes / (1024 * 1024)

/** A size as people read it: 812 B, 14 KB, 3.2 MB. */
export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  const mb = megabytes(bytes)
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`
}

/** What kind a file is, by its type and then its name; undefined when Parley can't send it. */
export function kindOf(file: Pick<FileFacts, 'name' | 'type'>): { kind: AttachmentKind; mimeType: string } | undefined {
  const type = file.type.toLowerCase()
  if (imageTypes.has(type)) return { kind: 'image', mimeType: type }
  const extension = extensionOf(file.name)
  if (type === 'application/pdf' || (type === '' && extension === 'pdf')) return { kind: 'pdf', mimeType: 'application/pdf' }
  if (type.startsWith('text/') || textApplicationTypes.has(type)) return { kind: 'text', mimeType: type }
  if ((type === '' || type === 'application/octet-stream') && textExtensions.has(extension)) return { kind: 'text', mimeType: 'text/plain' }
  if (type === '' && ['png', 'jpg', 'jpeg', 'gif', 'webp'].includes(extension)) {
    return { kind: 'image', mimeType: extension === 'jpg' ? 'image/jpeg' : `image/${extension}` }
  }
  return undefined
}

/**
 * The window's check before anything is read or uploaded (main checks again and decides the kind): a type Parley can
 * send, within its size limit, and room on the prompt. The message names the limit, so the person knows what fits.
 */
export function checkAttachable(file: FileFacts, alreadyOnPrompt: number): AttachCheck {
  if (alreadyOnPrompt >= attachmentLimits.perPrompt) {
    return {
      ok: false,
      code: 'AttachmentTooLarge',
      message: `A prompt holds at most ${attachmentLimits.perPrompt} attachments.`
    }
  }
  const kind = kindOf(file)
  if (!kind) {
    return {
      ok: false,
      code: 'AttachmentUnsupported',
      // The type as a name, not after an article: "a application/octet-stream file" read wrong.
      message: `Parley can't send ${file.type ? `files of type ${file.type}` : 'this type of file'}: attach an image (PNG, JPEG, GIF, WebP), a text or code file, or a PDF.`
    }
  }
  const limit = kind.kind === 'image' ? attachmentLimits.imageBytes : attachmentLimits.fileBytes
  if (file.size > limit) {
    const what = kind.kind === 'image' ? 'an image' : 'a file'
    return {
      ok: false,
      code: 'AttachmentTooLarge',
      message: `This is ${sizeLabel(file.size)}: ${what} can be at most ${Math.round(megabytes(limit))} MB.`
    }
  }
  return { ok: true, ...kind }
}
