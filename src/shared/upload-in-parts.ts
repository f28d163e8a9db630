import type { ParleyApi } from './api'
import { uploadPartBytes, type StoredAttachment } from './attachment'

/** Parts sent before the first is answered. */
export const partsInFlight = 4

export type PartedUploadApi = Pick<ParleyApi, 'putAttachment' | 'beginAttachment' | 'appendAttachment' | 'finishAttachment'>

export interface FileToUpload {
  name: string
  mimeType: string
  bytes: Uint8Array
}

/**
 * Sends one file to main and answers what main stored (its ref, and any warning): a file of one part in one `putAttachment`, a larger one part by part
 * (`uploadPartBytes` each), so no frame main parses is larger than half a megabyte. `toBase64` is the caller's
 * (Buffer in Node, the window's own encoder in a worker). `onSent` hears the fraction of bytes main has taken.
 */
export async function uploadInParts(
  api: PartedUploadApi,
  file: FileToUpload,
  toBase64: (bytes: Uint8Array) => string,
  onSent: (fraction: number) => void = () => undefined
): Promise<StoredAttachment> {
  const { bytes } = file
  if (bytes.length <= uploadPartBytes) {
    const stored = await api.putAttachment({ name: file.name, mimeType: file.mimeType, dataBase64: toBase64(bytes) })
    onSent(1)
    return stored
  }
  const uploadId = await api.beginAttachment({ name: file.name, mimeType: file.mimeType, size: bytes.length })
  // A few parts in flight, so the round trips overlap: main takes them in the order they were sent (one socket, or
  // IPC, each handled without an await before it is taken), and a refused one fails every part after it.
  const inFlight: Promise<void>[] = []
  for (let offset = 0; offset < bytes.length; offset += uploadPartBytes) {
    const sending = api.appendAttachment(uploadId, offset, toBase64(bytes.subarray(offset, offset + uploadPartBytes))).then((received) => onSent(received / bytes.length))
    sending.catch(() => undefined)
    inFlight.push(sending)
    if (inFlight.length >= partsInFlight) await inFlight.shift()
  }
  for (const sending of inFlight) await sending
  return api.finishAttachment(uploadId)
}
