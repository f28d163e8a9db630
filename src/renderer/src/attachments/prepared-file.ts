import { z } from 'zod'

/** What the attach worker answers about one file: progress while reading, then its hash, bytes and thumbnail. */
export const workerReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), fraction: z.number().min(0).max(1) }).strict(),
  z
    .object({
      type: z.literal('done'),
      sha256: z.string(),
      dataBase64: z.string(),
      /** A data URL of the image at ~256 px; null for files that aren't images. */
      thumbnail: z.string().nullable()
    })
    .strict(),
  z.object({ type: z.literal('thumbnail'), dataUrl: z.string() }).strict(),
  z.object({ type: z.literal('failed'), reason: z.enum(['vanished', 'damaged']), message: z.string() }).strict()
])
export type WorkerReply = z.infer<typeof workerReplySchema>

export type PreparedFile = Extract<WorkerReply, { type: 'done' }>

/** Why a file could not be prepared; its message is shown on the chip. */
export class PrepareFailed extends Error {
  constructor(
    readonly reason: 'vanished' | 'damaged',
    message: string
  ) {
    super(message)
    this.name = 'PrepareFailed'
  }
}

/** What the window asks the attach worker: prepare a file to attach, or only thumbnail an image already attached. */
export type WorkerTask = { task: 'prepare'; file: File; isImage: boolean } | { task: 'thumbnail'; file: Blob }

/** Reads, hashes and thumbnails one file off the window's main thread (attach-worker.ts), or in-process in tests. */
export type FilePreparer = (file: File, isImage: boolean, onProgress: (fraction: number) => void) => Promise<PreparedFile>

/** Makes the ~256 px thumbnail (a data URL) of an image's bytes, off the main thread. */
export type ThumbnailMaker = (image: Blob) => Promise<string>
