import { readAttachmentInParts, type ParleyApi } from '../../../shared'
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

/**
 * Thumbnails an image main holds, in a worker. Browser mode: the worker reads the bytes from main itself. The desktop:
 * the window reads them over IPC (a structured clone, no JSON) and hands the base64 to the worker.
 */
export function workerThumbnailMaker(route: SocketRoute | null, api: Pick<ParleyApi, 'readAttachmentPart'>): ThumbnailMaker {
  const thumbnail = (source: Extract<WorkerTask, { task: 'thumbnail' }>['source']): Promise<string> =>
    inWorker<string>({ task: 'thumbnail', source }, 'The image', (reply) => (reply.type === 'thumbnail' ? reply.dataUrl : undefined))
  return async (ref) => {
    if (route) return thumbnail({ kind: 'main', id: ref.id, route })
    const data = await readAttachmentInParts(api, ref.id)
    return thumbnail({ kind: 'bytes', dataBase64: data.dataBase64, mimeType: data.ref.mimeType })
  }
}

/**
 * An image whole, as a data URL (both shells' CSP allow `data:` images, not `blob:`). Browser mode: the worker reads
 * it from main, so the window doesn't parse its frame; the desktop reads it over IPC.
 */
export function workerImageOpener(route: SocketRoute | null, api: Pick<ParleyApi, 'readAttachmentPart'>): (id: string) => Promise<string> {
  return async (id) => {
    if (route) return inWorker<string>({ task: 'open', id, route }, 'The image', (reply) => (reply.type === 'opened' ? reply.dataUrl : undefined))
    const data = await readAttachmentInParts(api, id)
    return `data:${data.ref.mimeType};base64,${data.dataBase64}`
  }
}
