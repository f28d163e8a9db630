import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  apiMethods,
  ParleyError,
  readAttachmentInParts,
  uploadInParts,
  uploadPartBytes,
  uploadPartChars,
  type PartedUploadApi,
  type ParleyApi
} from '../../../shared'
import { AttachmentStore } from './attachment-store'
import { PartUploads } from './part-uploads'
import { tinyPng } from './test-fixtures/tiny-pdf'

const dirs: string[] = []
function uploads(now: () => number = Date.now): { store: AttachmentStore; parts: PartUploads } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-parts-'))
  dirs.push(dir)
  const store = new AttachmentStore(dir)
  return { store, parts: new PartUploads(store, { now, idleMs: 1000 }) }
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function refusal(run: () => unknown): ParleyError {
  try {
    run()
  } catch (error) {
    if (error instanceof ParleyError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

/** The API's parted-upload methods on `parts`, with `putAttachment` on the store: what the service does. */
function apiOf(store: AttachmentStore, parts: PartUploads, frames: string[]): PartedUploadApi {
  return {
    putAttachment: async (upload) => ({ ref: await store.put(upload) }),
    beginAttachment: async (start) => parts.begin(start),
    appendAttachment: async (id, offset, data) => {
      frames.push(JSON.stringify({ method: 'appendAttachment', args: [id, offset, data] }))
      expect(apiMethods.appendAttachment.args.safeParse([id, offset, data]).success).toBe(true)
      return parts.append(id, offset, data)
    },
    finishAttachment: async (id) => ({ ref: await parts.finish(id) })
  }
}

const text = (bytes: number): Buffer => Buffer.from('notes, line by line\n'.repeat(Math.ceil(bytes / 20)).slice(0, bytes))

describe('a large file in parts (PartUploads, uploadInParts)', () => {
  it('stores the same file, by the same id and kind, as one putAttachment would; no part frame is over 512 KB', async () => {
    const { store, parts } = uploads()
    const bytes = text(3 * uploadPartBytes + 1234)
    const frames: string[] = []
    const sent: number[] = []
    const { ref } = await uploadInParts(apiOf(store, parts, frames), { name: 'notes.md', mimeType: 'text/markdown', bytes }, (b) => Buffer.from(b).toString('base64'), (f) => sent.push(f))
    const whole = await uploads().store.put({ name: 'notes.md', mimeType: 'text/markdown', dataBase64: bytes.toString('base64') })
    expect(ref).toEqual(whole)
    expect(frames).toHaveLength(4)
    for (const frame of frames) expect(frame.length).toBeLessThan(uploadPartChars + 200)
    expect(sent.at(-1)).toBe(1)
    expect((await store.read(ref.id)).bytes.equals(bytes)).toBe(true)
    expect(parts.size).toBe(0)
  })

  it('text whose characters are cut between two parts is still text (the UTF-8 check runs across parts)', async () => {
    const { store, parts } = uploads()
    const bytes = Buffer.from(`a${'€'.repeat(200_000)}`)
    expect(uploadPartBytes % 3).toBe(0)
    const { ref } = await uploadInParts(apiOf(store, parts, []), { name: 'euros.txt', mimeType: 'text/plain', bytes }, (b) => Buffer.from(b).toString('base64'))
    expect(ref).toMatchObject({ kind: 'text', size: bytes.length })
  })

  it('a file of one part goes in one putAttachment', async () => {
    const { store, parts } = uploads()
    const frames: string[] = []
    const { ref } = await uploadInParts(apiOf(store, parts, frames), { name: 'dot.png', mimeType: 'image/png', bytes: tinyPng }, (b) => Buffer.from(b).toString('base64'))
    expect(ref.kind).toBe('image')
    expect(frames).toEqual([])
  })

  it('refuses over 50 MB at begin, a part out of order, more bytes than announced, and finishing early', async () => {
    const { parts } = uploads()
    expect(refusal(() => parts.begin({ name: 'huge.bin', mimeType: '', size: 51 * 1024 * 1024 })).code).toBe('AttachmentTooLarge')
    const part = text(uploadPartBytes).toString('base64')
    const id = parts.begin({ name: 'a.md', mimeType: 'text/markdown', size: uploadPartBytes + 10 })
    expect(refusal(() => parts.append(id, 5, part)).message).toContain('0 bytes were received')
    expect(parts.append(id, 0, part)).toBe(uploadPartBytes)
    await expect(parts.finish(id)).rejects.toMatchObject({ code: 'BadRequest' })
    expect(refusal(() => parts.append(id, uploadPartBytes, part)).message).toContain('more bytes came than')
    // The upload was dropped with its bytes: nothing more is taken for it.
    expect(refusal(() => parts.append(id, 0, part)).message).toContain('not open')
  })

  it('checks the whole file as any upload: a damaged image is refused at finish', async () => {
    const { parts, store } = uploads()
    const cut = Buffer.concat([tinyPng.subarray(0, 40), Buffer.alloc(uploadPartBytes)])
    const id = parts.begin({ name: 'cut.png', mimeType: 'image/png', size: cut.length })
    parts.append(id, 0, cut.subarray(0, uploadPartBytes).toString('base64'))
    parts.append(id, uploadPartBytes, cut.subarray(uploadPartBytes).toString('base64'))
    await expect(parts.finish(id)).rejects.toMatchObject({ code: 'AttachmentDamaged' })
    expect(store.ids()).toEqual([])
  })

  it('lets an upload go after it waited too long for its next part, and takes at most 16 at once', () => {
    let now = 0
    const { parts } = uploads(() => now)
    const id = parts.begin({ name: 'a.md', mimeType: '', size: 10 })
    now = 1001
    expect(refusal(() => parts.append(id, 0, 'aGVsbG8=')).message).toContain('not open')
    for (let i = 0; i < 16; i++) parts.begin({ name: `f${i}.md`, mimeType: '', size: 10 })
    expect(refusal(() => parts.begin({ name: 'one-more.md', mimeType: '', size: 10 })).message).toContain('16 files')
  })

  it('reads a large file back in parts: the same bytes, no answer over 512 KB of base64; past the end is refused', async () => {
    const { store } = uploads()
    const bytes = text(2 * uploadPartBytes + 77)
    const ref = await store.put({ name: 'notes.md', mimeType: 'text/markdown', dataBase64: bytes.toString('base64') })
    const answers: number[] = []
    const api: Pick<ParleyApi, 'readAttachmentPart'> = {
      readAttachmentPart: async (id, offset) => {
        const part = await store.readPart(id, offset, uploadPartBytes)
        const answer = { ref: part.ref, offset, dataBase64: part.bytes.toString('base64') }
        expect(apiMethods.readAttachmentPart.result.safeParse(answer).success).toBe(true)
        answers.push(answer.dataBase64.length)
        return answer
      }
    }
    const data = await readAttachmentInParts(api, ref.id)
    expect(data.ref).toEqual(ref)
    expect(Buffer.from(data.dataBase64, 'base64').equals(bytes)).toBe(true)
    expect(answers.sort((a, b) => b - a)).toEqual([uploadPartChars, uploadPartChars, 104])
    await expect(store.readPart(ref.id, bytes.length + 1, 10)).rejects.toMatchObject({ code: 'BadRequest' })
    await expect(store.readPart('f'.repeat(64), 0, 10)).rejects.toMatchObject({ code: 'AttachmentMissing' })
  })

  it('the bridge refuses a part over 512 KB or not in base64 before main reads it', () => {
    const args = apiMethods.appendAttachment.args
    expect(args.safeParse(['upload-1234', 0, 'A'.repeat(uploadPartChars + 4)]).success).toBe(false)
    expect(args.safeParse(['upload-1234', 0, 'aGVsbG8']).success).toBe(false)
    expect(args.safeParse(['upload-1234', 0, 'aGVs\nbG8=']).success).toBe(false)
    expect(args.safeParse(['upload-1234', -1, 'aGVsbG8=']).success).toBe(false)
    expect(args.safeParse(['upload-1234', 0, 'aGVsbG8=']).success).toBe(true)
  })
})
