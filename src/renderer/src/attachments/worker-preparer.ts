import { PrepareFailed, workerReplySchema, type FilePreparer, type PreparedFile } from './prepared-file'

/** Prepares each file in a worker of its own, ended when it answers: files attached together are read in parallel. */
export const workerPreparer: FilePreparer = (file, isImage, onProgress) =>
  new Promise<PreparedFile>((resolve, reject) => {
    const worker = new Worker(new URL('./attach-worker.ts', import.meta.url), { type: 'module' })
    const end = (): void => worker.terminate()
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const reply = workerReplySchema.safeParse(event.data)
      if (!reply.success) {
        end()
        reject(new PrepareFailed('damaged', `${file.name} could not be read.`))
        return
      }
      const data = reply.data
      if (data.type === 'progress') onProgress(data.fraction)
      else if (data.type === 'done') {
        end()
        resolve(data)
      } else {
        end()
        reject(new PrepareFailed(data.reason, data.message))
      }
    }
    worker.onerror = () => {
      end()
      reject(new PrepareFailed('damaged', `${file.name} could not be read.`))
    }
    worker.postMessage({ file, isImage })
  })
