/// <reference lib="webworker" />
import { base64ToBytes, bytesToBase64, FileVanished, readAllBytes, sha256Hex, thumbnailSize } from './file-bytes'
import { createWsClient, type SocketRoute } from '../bridge/ws-client'
import { errorText } from '../notices/error-text'
import type { WorkerReply, WorkerTask } from './prepared-file'
import { uploadInParts } from '../../../shared/upload-in-parts'
import { readAttachmentInParts } from '../../../shared/download-in-parts'

/**
 * The attach worker: reading, hashing (SHA-256, crypto.subtle) and thumbnailing (createImageBitmap, OffscreenCanvas)
 * of a file of up to 50 MB, so the window's main thread only sends the file in and gets strings back.
 */
declare const self: DedicatedWorkerGlobalScope

const post = (reply: WorkerReply): void => self.postMessage(reply)

async function thumbnailOf(image: Blob): Promise<string> {
  const bitmap = await createImageBitmap(image)
  const size = thumbnailSize(bitmap.width, bitmap.height)
  const canvas = new OffscreenCanvas(size.width, size.height)
  const context = canvas.getContext('2d')
  if (!context) throw new Error('no 2d context')
  context.drawImage(bitmap, 0, 0, size.width, size.height)
  bitmap.close()
  const blob = await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 })
  return new FileReaderSync().readAsDataURL(blob)
}

async function imageOf(source: Extract<WorkerTask, { task: 'thumbnail' }>['source']): Promise<Blob> {
  if (source.kind === 'bytes') return new Blob([base64ToBytes(source.dataBase64)], { type: source.mimeType })
  const client = createWsClient({ ...source.route, reportProblem: () => undefined })
  const stop = client.onConnectionChange((state) => {
    if (state === 'reconnecting') client.close()
  })
  try {
    const data = await readAttachmentInParts(client, source.id)
    return new Blob([base64ToBytes(data.dataBase64)], { type: data.ref.mimeType })
  } finally {
    stop()
    client.close()
  }
}

function openWhole(id: string, route: SocketRoute): void {
  const client = createWsClient({ ...route, reportProblem: () => undefined })
  const stop = client.onConnectionChange((state) => {
    if (state === 'reconnecting') client.close()
  })
  readAttachmentInParts(client, id)
    .then(
      (data) => post({ type: 'opened', dataUrl: `data:${data.ref.mimeType};base64,${data.dataBase64}` }),
      (error: unknown) => post({ type: 'refused', message: errorText(error, 'Parley could not open this image.') })
    )
    .finally(() => {
      stop()
      client.close()
    })
}

function thumbnailOnly(source: Extract<WorkerTask, { task: 'thumbnail' }>['source']): void {
  imageOf(source)
    .then(thumbnailOf)
    .then(
      (dataUrl) => post({ type: 'thumbnail', dataUrl }),
      () => post({ type: 'failed', reason: 'damaged', message: "This image can't be read: it may be damaged or gone." })
    )
}

self.onmessage = (event: MessageEvent<WorkerTask>) => {
  const task = event.data
  if (task.task === 'open') {
    openWhole(task.id, task.route)
    return
  }
  if (task.task === 'thumbnail') {
    thumbnailOnly(task.source)
    return
  }
  const { file, isImage, store } = task
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
        thumbnail = await thumbnailOf(new Blob([bytes], { type: file.type }))
      } catch {
        post({ type: 'failed', reason: 'damaged', message: `${file.name} can't be read as an image: it may be damaged.` })
        return
      }
    }
    const sha256 = await sha256Hex(bytes)
    if (!store) {
      post({ type: 'done', sha256, dataBase64: bytesToBase64(bytes), thumbnail })
      return
    }
    // Browser mode: the bytes go to main from here, not from the window; a large file in parts of 384 KB, so main
    // never parses one 67 MB frame (shared/upload-in-parts.ts).
    const client = createWsClient({ ...store.route, reportProblem: () => undefined })
    let connected = true
    const stop = client.onConnectionChange((state) => {
      if (state !== 'reconnecting') return
      // Closing fails the call waiting for the socket (or dropped by it) at once: the fallback below takes over.
      connected = false
      client.close()
    })
    try {
      const stored = await uploadInParts(client, { name: store.upload.name, mimeType: store.upload.mimeType, bytes }, bytesToBase64)
      post({ type: 'stored', sha256, stored, thumbnail })
    } catch (error) {
      // A socket of its own that could not reach main: the window sends the bytes over its bridge instead.
      if (!connected) post({ type: 'done', sha256, dataBase64: bytesToBase64(bytes), thumbnail })
      else post({ type: 'refused', message: errorText(error, `${store.upload.name} could not be attached.`) })
    } finally {
      stop()
      client.close()
    }
  })().catch((error: unknown) => {
    const vanished = error instanceof FileVanished
    post({
      type: 'failed',
      reason: vanished ? 'vanished' : 'damaged',
      message: error instanceof Error ? error.message : `${file.name} could not be read.`
    })
  })
}
