/// <reference lib="webworker" />
import { bytesToBase64, FileVanished, readAllBytes, sha256Hex, thumbnailSize } from './file-bytes'
import type { WorkerReply } from './prepared-file'

/**
 * The attach worker: reading, hashing (SHA-256, crypto.subtle) and thumbnailing (createImageBitmap, OffscreenCanvas)
 * of a file of up to 50 MB, so the window's main thread only sends the file in and gets strings back.
 */
declare const self: DedicatedWorkerGlobalScope

const post = (reply: WorkerReply): void => self.postMessage(reply)

async function thumbnailOf(bytes: Uint8Array<ArrayBuffer>, mimeType: string): Promise<string> {
  const bitmap = await createImageBitmap(new Blob([bytes], { type: mimeType }))
  const size = thumbnailSize(bitmap.width, bitmap.height)
  const canvas = new OffscreenCanvas(size.width, size.height)
  const context = canvas.getContext('2d')
  if (!context) throw new Error('no 2d context')
  context.drawImage(bitmap, 0, 0, size.width, size.height)
  bitmap.close()
  const blob = await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 })
  return new FileReaderSync().readAsDataURL(blob)
}

self.onmessage = (event: MessageEvent<{ file: File; isImage: boolean }>) => {
  const { file, isImage } = event.data
  void (async () => {
    let lastSent = 0
    const bytes = await readAllBytes(file, (fraction) => {
      // A message per few percent is plenty for a progress bar.
      if (fraction === 1 || fraction - lastSent >= 0.02) {
        lastSent = fraction
        post({ type: 'progress', fraction })
      }
    })
    let thumbnail: string | null = null
    if (isImage) {
      try {
        thumbnail = await thumbnailOf(bytes, file.type)
      } catch {
        post({ type: 'failed', reason: 'damaged', message: `${file.name} can't be read as an image: it may be damaged.` })
        return
      }
    }
    const sha256 = await sha256Hex(bytes)
    post({ type: 'done', sha256, dataBase64: bytesToBase64(bytes), thumbnail })
  })().catch((error: unknown) => {
    const vanished = error instanceof FileVanished
    post({
      type: 'failed',
      reason: vanished ? 'vanished' : 'damaged',
      message: error instanceof Error ? error.message : `${file.name} could not be read.`
    })
  })
}
