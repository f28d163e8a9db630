import type { ParleyApi } from './api'
import { uploadPartBytes, type AttachmentData } from './attachment'
import { partsInFlight } from './upload-in-parts'

/**
 * Reads one file main holds, in parts (`readAttachmentPart`, 384 KB each, a few in flight), and answers it as
 * `readAttachment` would: main never builds one frame of up to 67 MB. Every part but the last is a whole number of
 * 3-byte groups, so their base64 joins as the file's.
 */
export async function readAttachmentInParts(api: Pick<ParleyApi, 'readAttachmentPart'>, id: string): Promise<AttachmentData> {
  const first = await api.readAttachmentPart(id, 0)
  const { ref } = first
  const rest: Promise<string>[] = []
  const parts: string[] = [first.dataBase64]
  for (let offset = uploadPartBytes; offset < ref.size; offset += uploadPartBytes) {
    const reading = api.readAttachmentPart(id, offset).then((part) => {
      if (part.offset !== offset || part.ref.size !== ref.size) throw new Error(`${ref.name} changed while it was read.`)
      return part.dataBase64
    })
    reading.catch(() => undefined)
    rest.push(reading)
    if (rest.length >= partsInFlight) parts.push(await (rest.shift() as Promise<string>))
  }
  for (const reading of rest) parts.push(await reading)
  return { ref, dataBase64: parts.join('') }
}
