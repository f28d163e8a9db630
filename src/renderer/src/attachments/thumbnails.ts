import type { AttachmentRef } from '../../../shared'
import type { ParleyDatabase } from '../db/schema'
import type { ThumbnailMaker } from './prepared-file'

/**
 * Image thumbnails, kept in Dexie by attachment id: made at attach time, or lazily from main's bytes
 * (`readAttachment`) for a message that arrived without one (a rebuild, an import, another window). Asks for the same
 * id at once share one read.
 */
export class Thumbnails {
  private readonly making = new Map<string, Promise<string | null>>()

  constructor(
    private readonly db: Pick<ParleyDatabase, 'thumbnails'>,
    /** Reads the image from main and thumbnails it, off the window's main thread (worker-preparer.ts). */
    private readonly make: ThumbnailMaker
  ) {}

  async keep(id: string, dataUrl: string): Promise<void> {
    await this.db.thumbnails.put({ id, dataUrl })
  }

  /** An image's thumbnail; null for other files, and for an image main no longer holds or can't be drawn. */
  get(ref: AttachmentRef): Promise<string | null> {
    if (ref.kind !== 'image') return Promise.resolve(null)
    const pending = this.making.get(ref.id)
    if (pending) return pending
    const making = this.find(ref).finally(() => this.making.delete(ref.id))
    this.making.set(ref.id, making)
    return making
  }

  private async find(ref: AttachmentRef): Promise<string | null> {
    const kept = await this.db.thumbnails.get(ref.id).catch(() => undefined)
    if (kept) return kept.dataUrl
    try {
      const dataUrl = await this.make(ref)
      await this.keep(ref.id, dataUrl).catch(() => undefined)
      return dataUrl
    } catch {
      return null
    }
  }
}
