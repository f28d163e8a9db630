import { createHash } from 'node:crypto'
import { ParleyError, type AttachmentKind, type AttachmentRef } from '../../../../shared'
import type { LoadedAttachment } from '../../attachments/attachment-store'
import type { AttachmentsPort } from '../ports'

/** An attachment store in memory, for the agent's tests: text files and images by their bytes. */
export class MemoryAttachments implements AttachmentsPort {
  private readonly files = new Map<string, { ref: AttachmentRef; bytes: Buffer }>()

  add(name: string, content: string | Buffer, kind: AttachmentKind = 'text', mimeType = 'text/plain'): AttachmentRef {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content
    const id = createHash('sha256').update(bytes).digest('hex')
    const ref: AttachmentRef = { id, name, mimeType, size: bytes.length, kind }
    this.files.set(id, { ref, bytes })
    return ref
  }

  remove(id: string): void {
    this.files.delete(id)
  }

  has(id: string): boolean {
    return this.files.has(id)
  }

  /** The refs of every accepted call that carried files, in order. */
  readonly claimed: string[][] = []

  claim(refs: readonly AttachmentRef[]): void {
    this.claimed.push(refs.map((ref) => ref.id))
  }

  async load(ref: AttachmentRef): Promise<LoadedAttachment> {
    const file = this.files.get(ref.id)
    if (!file) throw new ParleyError('AttachmentMissing', `${ref.name} is no longer in Parley's data folder: attach the file again.`)
    if (file.ref.kind === 'image') return { kind: 'image', ref, bytes: file.bytes }
    if (file.ref.kind === 'pdf') return { kind: 'pdf', ref, bytes: file.bytes, pages: [file.bytes.toString('latin1')] }
    return { kind: 'text', ref, text: file.bytes.toString('utf8') }
  }
}
