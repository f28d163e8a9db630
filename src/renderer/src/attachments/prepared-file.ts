import { z } from 'zod'
import { storedAttachmentSchema, type AttachmentRef, type AttachmentUpload } from '../../../shared'
import type { SocketRoute } from '../bridge/ws-client'

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
  /** The worker sent the bytes to main itself (browser mode) and main stored them. */
  z.object({ type: z.literal('stored'), sha256: z.string(), stored: storedAttachmentSchema, thumbnail: z.string().nullable() }).strict(),
  /** Main refused the file the worker sent. */
  z.object({ type: z.literal('refused'), message: z.string() }).strict(),
  z.object({ type: z.literal('thumbnail'), dataUrl: z.string() }).strict(),
  /** An image whole, as a data URL, read from main by the worker (browser mode). */
  z.object({ type: z.literal('opened'), dataUrl: z.string() }).strict(),
  z.object({ type: z.literal('failed'), reason: z.enum(['vanished', 'damaged']), message: z.string() }).strict()
])
export type WorkerReply = z.infer<typeof workerReplySchema>

/** A file read and hashed: its bytes for the window to send (`done`), or already stored by main (`stored`). */
export type PreparedFile = Extract<WorkerReply, { type: 'done' | 'stored' }>

/** Why a file could not be prepared or stored; its message is shown on the chip. */
export class PrepareFailed extends Error {
  constructor(
    readonly reason: 'vanished' | 'damaged' | 'refused',
    message: string
  ) {
    super(message)
    this.name = 'PrepareFailed'
  }
}

/** What the window asks the attach worker: prepare a file to attach, or only thumbnail an image already attached. */
export type WorkerTask =
  | {
      task: 'prepare'
      file: File
      isImage: boolean
      /** Browser mode: the worker sends the upload to main over a socket of its own. null: the window sends it. */
      store: { route: SocketRoute; upload: Omit<AttachmentUpload, 'dataBase64'> } | null
    }
  /**
   * Only a thumbnail, of an image main holds: from its bytes (the desktop, which read them over IPC), or read from
   * main by the worker over a socket of its own (browser mode), so the window never parses a 27 MB frame.
   */
  /** An image whole, read from main over the worker's own socket (browser mode), for the image viewer. */
  | { task: 'open'; id: string; route: SocketRoute }
  | { task: 'thumbnail'; source: { kind: 'bytes'; dataBase64: string; mimeType: string } | { kind: 'main'; id: string; route: SocketRoute } }

/** Reads, hashes and thumbnails one file off the window's main thread (attach-worker.ts), or in-process in tests. */
export type FilePreparer = (
  file: File,
  request: { isImage: boolean; upload: Omit<AttachmentUpload, 'dataBase64'> },
  onProgress: (fraction: number) => void
) => Promise<PreparedFile>

/** Makes the ~256 px thumbnail (a data URL) of an image main holds, off the main thread. */
export type ThumbnailMaker = (image: AttachmentRef) => Promise<string>
