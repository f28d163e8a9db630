import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync, utimesSync } from 'node:fs'
import { open, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import {
  attachmentIdSchema,
  attachmentKindSchema,
  missingAttachmentText,
  ParleyError,
  type AttachmentRef,
  type AttachmentUpload
} from '../../../shared'
import { gifIsAnimated, sniffKind } from './attachment-kind'
import { decodeUpload, type DecodedUpload } from './decode-upload'
import { readPdfText } from './pdf-text'

/** What the store keeps beside each file's bytes: its kind and type, and a PDF's text page by page. */
const storedMetaSchema = z.object({
  name: z.string(),
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
  kind: attachmentKindSchema,
  pages: z.array(z.string()).optional()
})
type StoredMeta = z.infer<typeof storedMetaSchema>

/** An attachment's content as a request needs it. */
export type LoadedAttachment =
  | { kind: 'image'; ref: AttachmentRef; bytes: Buffer }
  | { kind: 'text'; ref: AttachmentRef; text: string }
  | { kind: 'pdf'; ref: AttachmentRef; bytes: Buffer; pages: string[] }

export interface AttachmentStoreOptions {
  now?: () => number
}

/**
 * How long a file no message uses is kept (from its put, or its last `hold`): a draft's files wait this long for the
 * prompt to be sent, across restarts. A file put and then dropped from the draft goes after as long.
 */
export const unusedAttachmentAgeMs = 14 * 24 * 60 * 60_000

/** How long a temp file of a put cut short is left (a put still under way at start is at most this old). */
export const tempAttachmentAgeMs = 60 * 60_000

/**
 * Main's attachment files (issue 14): `attachments/<sha256>` holds a file's bytes, once whatever name it came under,
 * and `<sha256>.json` what Parley knows of it (kind, type, size, a PDF's text). The `.json` is written last and is
 * what makes a file present: a crash leaves a file whole with its `.json`, or without one (the sweep removes it).
 * Both are written atomically (a temp file, fsync, rename), and a second put of the same bytes writes nothing.
 */
export class AttachmentStore {
  readonly dir: string
  private readonly putting = new Map<string, Promise<StoredMeta>>()
  /** Files a window attached to a prompt it has not sent yet (in memory: after a restart, the sweep's age rule). */
  private readonly held = new Set<string>()
  private readonly now: () => number

  constructor(dataDir: string, options: AttachmentStoreOptions = {}) {
    this.dir = join(dataDir, 'attachments')
    mkdirSync(this.dir, { recursive: true })
    this.now = options.now ?? Date.now
  }

  /**
   * Stores one upload and answers its ref. Refused (and nothing stored) with `AttachmentTooLarge`,
   * `AttachmentUnsupported` or `AttachmentDamaged`; a PDF's text is read here, so a damaged PDF fails at attach,
   * not at send.
   */
  async put(upload: AttachmentUpload): Promise<AttachmentRef> {
    return this.putDecoded(upload.name, upload.mimeType, await decodeUpload(upload.dataBase64))
  }

  /** Stores bytes already decoded and hashed (a parted upload's, attachments/part-uploads.ts), checked as `put` checks. */
  async putDecoded(name: string, mimeType: string, decoded: DecodedUpload): Promise<AttachmentRef> {
    const { bytes, id, isUtf8 } = decoded
    const sniffed = sniffKind(name, mimeType, bytes, () => isUtf8)
    const ref: AttachmentRef = { id, name, mimeType: sniffed.mimeType, size: bytes.length, kind: sniffed.kind }
    if (this.has(id)) return ref
    let putting = this.putting.get(id)
    if (!putting) {
      putting = this.write(id, ref, bytes).finally(() => this.putting.delete(id))
      this.putting.set(id, putting)
    }
    await putting
    return ref
  }

  /** Whether the store holds these bytes (synchronous: a call's refs are checked at accept, rule A2). */
  has(id: string): boolean {
    return attachmentIdSchema.safeParse(id).success && existsSync(this.metaPath(id))
  }

  /** A file's bytes and its ref (under the first name it was stored with); `AttachmentMissing` if it is gone. */
  async read(id: string): Promise<{ ref: AttachmentRef; bytes: Buffer }> {
    const meta = await this.meta(id)
    const bytes = await readFile(this.bytesPath(id)).catch(() => {
      throw missing(id)
    })
    return { ref: { id, name: meta.name, mimeType: meta.mimeType, size: meta.size, kind: meta.kind }, bytes }
  }

  /** `length` bytes of a file from `offset` (fewer at its end), read from disk off the main thread, and its ref. */
  async readPart(id: string, offset: number, length: number): Promise<{ ref: AttachmentRef; bytes: Buffer }> {
    const meta = await this.meta(id)
    const ref: AttachmentRef = { id, name: meta.name, mimeType: meta.mimeType, size: meta.size, kind: meta.kind }
    if (offset > meta.size) throw new ParleyError('BadRequest', `${meta.name} has ${meta.size} bytes: there is no part at byte ${offset}.`)
    const handle = await open(this.bytesPath(id), 'r').catch(() => {
      throw missing(id, meta.name)
    })
    try {
      const bytes = Buffer.allocUnsafe(Math.min(length, meta.size - offset))
      let read = 0
      while (read < bytes.length) {
        const { bytesRead } = await handle.read(bytes, read, bytes.length - read, offset + read)
        if (bytesRead === 0) throw missing(id, meta.name)
        read += bytesRead
      }
      return { ref, bytes }
    } finally {
      await handle.close()
    }
  }

  /** An attachment's content as a request sends it: an image's bytes, a text file's text, a PDF's bytes and text. */
  async load(ref: AttachmentRef): Promise<LoadedAttachment> {
    const meta = await this.meta(ref.id)
    const bytes = await readFile(this.bytesPath(ref.id)).catch(() => {
      throw missing(ref.id, ref.name)
    })
    if (meta.kind === 'image') return { kind: 'image', ref: { ...ref, mimeType: meta.mimeType }, bytes }
    if (meta.kind === 'pdf') return { kind: 'pdf', ref, bytes, pages: meta.pages ?? [] }
    return { kind: 'text', ref, text: bytes.toString('utf8').replace(/^\uFEFF/, '') }
  }

  /**
   * What the person should know before sending a file main stored, or undefined: a PDF with no text at all (a scanned
   * page) is sent as nothing but its page markers to a model that gets PDFs as text; of an animated GIF, models see
   * its first frame only (it is sent as a PNG of that frame to a server on this machine or network).
   */
  async warningOf(id: string): Promise<string | undefined> {
    const meta = await this.meta(id)
    if (meta.kind === 'image') {
      if (meta.mimeType !== 'image/gif') return undefined
      const bytes = await readFile(this.bytesPath(id)).catch(() => undefined)
      return bytes && gifIsAnimated(bytes) ? animatedGifWarning : undefined
    }
    if (meta.kind !== 'pdf' || (meta.pages ?? []).some((page) => page.trim() !== '')) return undefined
    return textlessPdfWarning
  }

  /**
   * A window attached this file to a prompt not sent yet: a delete that takes the last message using the same bytes
   * leaves it, until a call claims it. Its `.json` is touched, so the sweep at the next start counts its age from now.
   */
  hold(id: string): void {
    if (!this.has(id)) return
    this.held.add(id)
    const now = this.now() / 1000
    try {
      utimesSync(this.metaPath(id), now, now)
    } catch {
      // Gone meanwhile: nothing to keep.
    }
  }

  /**
   * A window found these files in a draft it kept (a reload, a restart): those main still has are held again, as
   * `hold` does, and answered; the rest are gone (swept after `unusedAttachmentAgeMs`, or never stored here).
   */
  holdKept(ids: readonly string[]): string[] {
    const kept = ids.filter((id) => this.has(id))
    for (const id of kept) this.hold(id)
    return kept
  }

  /** A call using these files was accepted: they are held no more (the message or queued prompt keeps them). */
  claim(refs: readonly { id: string }[]): void {
    for (const ref of refs) this.held.delete(ref.id)
  }

  isHeld(id: string): boolean {
    return this.held.has(id)
  }

  /** Removes a file; its `.json` goes first, so a crash in between leaves bytes the sweep removes. */
  remove(id: string): void {
    if (!attachmentIdSchema.safeParse(id).success) return
    this.held.delete(id)
    for (const path of [this.metaPath(id), this.bytesPath(id)]) {
      try {
        unlinkSync(path)
      } catch {
        // Already gone.
      }
    }
  }

  /** Every stored file's id. */
  ids(): string[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((id) => attachmentIdSchema.safeParse(id).success)
  }

  /**
   * At start (crash safety): removes temp files older than `tempAgeMs` (a put cut short), bytes without their `.json`
   * (a put or a remove cut short), and every file older than `unusedAgeMs` that `inUse` doesn't claim (a message or a
   * queued prompt uses it). Younger unused files stay: a window keeps the files of a prompt not sent yet with its draft,
   * across restarts, and holds them again when it loads (`hold` counts their age from then). Answers how many files it
   * removed.
   */
  sweep(inUse: (id: string) => boolean, ages: { unusedAgeMs?: number; tempAgeMs?: number } = {}): number {
    let removed = 0
    const unusedCutoff = this.now() - (ages.unusedAgeMs ?? unusedAttachmentAgeMs)
    const tempCutoff = this.now() - (ages.tempAgeMs ?? tempAttachmentAgeMs)
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name)
      const id = name.endsWith('.json') ? name.slice(0, -5) : name
      const isTemp = name.endsWith('.tmp')
      const isOrphan = !isTemp && !name.endsWith('.json') && !existsSync(this.metaPath(name))
      const isUnused = name.endsWith('.json') && !inUse(id) && statSync(path).mtimeMs < unusedCutoff
      if (isTemp && statSync(path).mtimeMs >= tempCutoff) continue
      if (isTemp || isOrphan) {
        unlinkSync(path)
      } else if (isUnused) {
        this.remove(id)
        removed += 1
      }
    }
    return removed
  }

  private async write(id: string, ref: AttachmentRef, bytes: Buffer): Promise<StoredMeta> {
    const meta: StoredMeta = { name: ref.name, mimeType: ref.mimeType, size: ref.size, kind: ref.kind }
    if (ref.kind === 'pdf') {
      const text = await readPdfText(bytes)
      if (!text.ok) throw unreadablePdf(ref.name, text)
      meta.pages = text.pages
    }
    await writeAtomic(this.bytesPath(id), bytes)
    await writeAtomic(this.metaPath(id), Buffer.from(JSON.stringify(meta)))
    await syncDir(this.dir)
    return meta
  }

  private async meta(id: string): Promise<StoredMeta> {
    if (!attachmentIdSchema.safeParse(id).success) throw missing(id)
    const text = await readFile(this.metaPath(id), 'utf8').catch(() => {
      throw missing(id)
    })
    const parsed = storedMetaSchema.safeParse(JSON.parse(text))
    if (!parsed.success) throw missing(id)
    return parsed.data
  }

  private bytesPath(id: string): string {
    return join(this.dir, id)
  }

  private metaPath(id: string): string {
    return join(this.dir, `${id}.json`)
  }
}

export const textlessPdfWarning = 'No text found (scanned?): the model will see nothing of it, unless it reads PDFs itself (Claude).'
export const animatedGifWarning = 'Animated GIF: the model sees only its first frame.'

/** Why a PDF can't be attached: locked with a password, or damaged (pdf.js's reason, without its own full stop). */
function unreadablePdf(name: string, answer: { reason: string; locked?: boolean }): ParleyError {
  if (answer.locked) {
    return new ParleyError('AttachmentUnsupported', `${name} is locked with a password, and Parley can't open it: attach a copy without the password.`)
  }
  return new ParleyError('AttachmentDamaged', `${name} is damaged: Parley can't read this PDF (${answer.reason.replace(/[.\s]+$/, '')}).`)
}

function missing(id: string, name?: string): ParleyError {
  return new ParleyError('AttachmentMissing', missingAttachmentText(name ?? `The attachment ${id.slice(0, 12)}…`))
}

let temps = 0

async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.${++temps}.tmp`
  const file = await open(temp, 'w', 0o600)
  try {
    await file.writeFile(bytes)
    await file.sync()
    await file.close()
    await rename(temp, path)
  } catch (error) {
    await file.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw error
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Not every platform can fsync a folder (Windows); the rename is still atomic.
  }
}
