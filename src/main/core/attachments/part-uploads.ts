import { isUtf8 } from 'node:buffer'
import { createHash, randomBytes, type Hash } from 'node:crypto'
import { attachmentLimits, ParleyError, type AttachmentRef, type AttachmentUploadStart } from '../../../shared'
import type { AttachmentStore } from './attachment-store'

export interface PartUploadsOptions {
  now?: () => number
  /** An upload with no part for this long is let go (its bytes dropped): 10 minutes. */
  idleMs?: number
  /** Uploads open at once, at most: 16 (a prompt's attachments). */
  most?: number
}

interface OpenUpload {
  readonly start: AttachmentUploadStart
  /** The file's bytes, as long as announced: each part is decoded into its place (no copy at the end). */
  readonly bytes: Buffer
  readonly hash: Hash
  received: number
  lastAt: number
}

/**
 * Large files arriving in parts (`beginAttachment`, `appendAttachment`, `finishAttachment`): each part is decoded and
 * hashed as it comes, so main never parses or decodes one 67 MB frame; the whole is stored by the attachment store,
 * checked as any upload is. Parts come in order (the offset says where), never more bytes than announced.
 */
export class PartUploads {
  private readonly open = new Map<string, OpenUpload>()
  private readonly now: () => number
  private readonly idleMs: number
  private readonly most: number

  constructor(
    private readonly store: AttachmentStore,
    options: PartUploadsOptions = {}
  ) {
    this.now = options.now ?? Date.now
    this.idleMs = options.idleMs ?? 10 * 60_000
    this.most = options.most ?? attachmentLimits.perPrompt
  }

  begin(start: AttachmentUploadStart): string {
    this.dropIdle()
    if (start.size > attachmentLimits.fileBytes) {
      throw new ParleyError('AttachmentTooLarge', `${start.name} is ${megabytes(start.size)}; a file may be at most 50 MB (an image 20 MB).`)
    }
    if (this.open.size >= this.most) {
      throw new ParleyError('BadRequest', `Parley is already taking ${this.most} files: attach ${start.name} once they are in.`)
    }
    const uploadId = randomBytes(12).toString('base64url')
    this.open.set(uploadId, { start, bytes: Buffer.allocUnsafe(start.size), hash: createHash('sha256'), received: 0, lastAt: this.now() })
    return uploadId
  }

  /** Takes the part at `offset` (the bytes received so far) and answers the bytes received. */
  append(uploadId: string, offset: number, dataBase64: string): number {
    const upload = this.opened(uploadId)
    if (offset !== upload.received) {
      throw new ParleyError('BadRequest', `${upload.start.name}: the part at byte ${offset} came, but ${upload.received} bytes were received so far.`)
    }
    if (dataBase64.length % 4 !== 0) throw new ParleyError('BadRequest', `${upload.start.name}: a part must be whole base64 (its length a multiple of 4).`)
    const padding = dataBase64.endsWith('==') ? 2 : dataBase64.endsWith('=') ? 1 : 0
    if (upload.received + (dataBase64.length / 4) * 3 - padding > upload.start.size) {
      this.open.delete(uploadId)
      throw new ParleyError('BadRequest', `${upload.start.name}: more bytes came than the ${upload.start.size} announced; the upload is dropped.`)
    }
    const written = upload.bytes.write(dataBase64, upload.received, 'base64')
    upload.hash.update(upload.bytes.subarray(upload.received, upload.received + written))
    upload.received += written
    upload.lastAt = this.now()
    return upload.received
  }

  /** Stores the file once every announced byte has come (the upload ends, stored or refused). */
  async finish(uploadId: string): Promise<AttachmentRef> {
    const upload = this.opened(uploadId)
    if (upload.received !== upload.start.size) {
      throw new ParleyError('BadRequest', `${upload.start.name}: ${upload.received} of ${upload.start.size} bytes came; send the rest first.`)
    }
    this.open.delete(uploadId)
    const { bytes } = upload
    // One pass over the whole at the end (simdutf, tens of ms for 50 MB) rather than a string made of every part.
    const text = !bytes.includes(0) && isUtf8(bytes)
    return this.store.putDecoded(upload.start.name, upload.start.mimeType, { bytes, id: upload.hash.digest('hex'), isUtf8: text })
  }

  /** How many uploads are open (for tests and status). */
  get size(): number {
    return this.open.size
  }

  private opened(uploadId: string): OpenUpload {
    this.dropIdle()
    const upload = this.open.get(uploadId)
    if (!upload) throw new ParleyError('BadRequest', 'That upload is not open (it ended, or waited over 10 minutes for its next part): attach the file again.')
    return upload
  }

  private dropIdle(): void {
    const cutoff = this.now() - this.idleMs
    for (const [id, upload] of this.open) if (upload.lastAt < cutoff) this.open.delete(id)
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
