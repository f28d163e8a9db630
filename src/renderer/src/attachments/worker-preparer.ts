import type { SocketRoute } from '../bridge/ws-client'
import {
  PrepareFailed,
  workerReplySchema,
  type FilePreparer,
  type PreparedFile,
  type ThumbnailMaker,
  type WorkerReply,
  type WorkerTask
} from './prepared-file'

/** Runs one task in a worker of its own, ended when it answers: files attached together are read in parallel. */
function inWorker<T>(task: WorkerTask, name: string, onReply: (reply: WorkerReply) => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL('./attach-worker.ts', import.meta.url), { type: 'module' })
    const fail = (reason: 'vanished' | 'damaged' | 'refused', message: string): void => {
      worker.terminate()
      reject(new PrepareFailed(reason, message))
    }
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const reply = workerReplySchema.safeParse(event.data)
      if (!reply.success) return fail('damaged', `${name} could not be read.`)
      if (reply.data.type === 'failed') return fail(reply.data.reason, reply.data.message)
      if (reply.data.type === 'refused') return fail('refused', reply.data.message)
      const result = onReply(reply.data)
      if (result === undefined) return
      worker.terminate()
      resolve(result)
    }
    worker.onerror = () => fail('damaged', `${name} could not be read.`)
    worker.postMessage(task)
  })
}

/**
 * Reads, hashes and thumbnails in a worker. With a socket route (browser mode) the worker also sends the bytes to main,
 * so the window's main thread never holds or serializes them; without one (the desktop's IPC) it answers the bytes.
 */
export function workerPreparer(route: SocketRoute | null): FilePreparer {
  return (file, request, onProgress) =>
    inWorker<PreparedFile>(
      { task: 'prepare', file, isImage: request.isImage, store: route ? { route, upload: request.upload } : null },
      file.name,
      (reply) => {
        if (reply.type === 'progress') onProgress(reply.fraction)
        return reply.type === 'done' || reply.type === 'stored' ? reply : undefined
      }
    )
}

export const workerThumbnailMaker: ThumbnailMaker = (image) =>
  inWorker<string>({ task: 'thumbnail', file: image }, 'The image', (reply) => (reply.type === 'thumbnail' ? reply.dataUrl : undefined))
