import { describe, expect, it } from 'vitest'
import { uploadPartBytes } from './attachment'
import { uploadInParts, type PartedUploadApi } from './upload-in-parts'

/** btoa a few thousand bytes at a time (a multiple of 3, so the pieces join). */
function toBase64(bytes: Uint8Array): string {
  let out = ''
  for (let at = 0; at < bytes.length; at += 3 * 4096) out += btoa(String.fromCharCode(...bytes.subarray(at, at + 3 * 4096)))
  return out
}

describe('uploadInParts', () => {
  it('sends parts in order at their offsets, each a whole number of 3-byte groups but the last, then finishes', async () => {
    const calls: string[] = []
    const received: number[] = []
    let got = 0
    const api: PartedUploadApi = {
      putAttachment: () => Promise.reject(new Error('not for a large file')),
      beginAttachment: async (start) => (calls.push(`begin ${start.size}`), 'upload-1'),
      appendAttachment: async (_id, offset, data) => {
        calls.push(`append ${offset} ${data.length}`)
        got += atob(data).length
        return got
      },
      finishAttachment: async () => (calls.push('finish'), { ref: { id: 'a'.repeat(64), name: 'f', mimeType: 'text/plain', size: got, kind: 'text' } })
    }
    const bytes = new Uint8Array(2 * uploadPartBytes + 5).fill(65)
    const { ref } = await uploadInParts(api, { name: 'f', mimeType: 'text/plain', bytes }, toBase64, (f) => received.push(f))
    expect(calls).toEqual([
      `begin ${bytes.length}`,
      `append 0 ${(uploadPartBytes / 3) * 4}`,
      `append ${uploadPartBytes} ${(uploadPartBytes / 3) * 4}`,
      `append ${2 * uploadPartBytes} 8`,
      'finish'
    ])
    expect(ref.size).toBe(bytes.length)
    expect(received).toEqual([uploadPartBytes / bytes.length, (2 * uploadPartBytes) / bytes.length, 1])
  })
})
