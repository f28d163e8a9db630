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
    const fail = (reason: 'vanished' | 'damaged', message: string): void => {
      worker.terminate()
      reject(new PrepareFailed(reason, message))
    }
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const reply = workerReplySchema.safeParse(event.data)
      if (!reply.success) return fail('damaged', `${name} could not be read.`)
      if (reply.data.type === 'failed') return fail(reply.data.reason, reply.data.message)
      const result = onReply(reply.data)
      if (result === undefined) return
      worker.terminate()
      resolve(result)
    }
    worker.onerror = () => fail('damaged', `${name} could not be read.`)
    worker.postMessage(task)
  })
}

export const workerPreparer: FilePreparer = (file, isImage, onProgress) =>
  inWorker<PreparedFile>({ task: 'prepare', file, isImage }, file.name, (reply) => {
    if (reply.type === 'progress') onProgress(reply.fraction)
    return reply.type === 'done' ? reply : undefined
  })

export const workerThumbnailMaker: ThumbnailMaker = (image) =>
  inWorker<string>({ task: 'thumbnail', file: image }, 'The image', (reply) => (reply.type === 'thumbnail' ? reply.dataUrl : undefined))
