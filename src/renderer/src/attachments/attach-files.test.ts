import { describe, expect, it } from 'vitest'
import { ParleyError, type AttachmentRef, type StoredAttachment } from '../../../shared'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { attachFiles, type AttachDeps } from './attach-files'
import { chipList, type AttachmentChip, type ChipAction } from './chip-list'
import { bytesToBase64, readAllBytes, sha256Hex } from './file-bytes'
import { PrepareFailed, type FilePreparer } from './prepared-file'

/** The worker's steps, in process. */
const inProcess: FilePreparer = async (file, request, onProgress) => {
  const bytes = await readAllBytes(file, onProgress)
  return { type: 'done', sha256: await sha256Hex(bytes), dataBase64: bytesToBase64(bytes), thumbnail: request.isImage ? 'data:image/webp;base64,AA' : null }
}

function harness(prepare: FilePreparer = inProcess) {
  const api = new FakeParleyApi()
  const kept = new Map<string, string>()
  let chips: readonly AttachmentChip[] = []
  const actions: ChipAction[] = []
  let n = 0
  const deps: AttachDeps = {
    api,
    prepare,
    keepThumbnail: async (id, dataUrl) => {
      kept.set(id, dataUrl)
    },
    newKey: () => `k${++n}`
  }
  const dispatch = (action: ChipAction): void => {
    actions.push(action)
    chips = chipList(chips, action)
  }
  const settled = async (): Promise<readonly AttachmentChip[]> => {
    for (let i = 0; i < 50 && chips.some((chip) => chip.state.phase === 'reading' || chip.state.phase === 'uploading'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    return chips
  }
  return { api, kept, deps, dispatch, settled, actions, chips: () => chips }
}

const file = (name: string, type: string, body: string | Uint8Array<ArrayBuffer> = 'hello'): File => new File([body], name, { type })

describe('attachFiles', () => {
  it('reads, uploads and holds main’s ref, keeping an image’s thumbnail under main’s id', async () => {
    const h = harness()
    const mainsId = 'f'.repeat(64)
    h.api.putAttachmentAnswer = async (upload): Promise<StoredAttachment> => ({ ref: { id: mainsId, name: upload.name, mimeType: upload.mimeType, size: 5, kind: 'image' } })
    attachFiles(h.deps, [file('cat.png', 'image/png')], 0, h.dispatch)
    expect(h.chips()[0]?.state.phase).toBe('reading')
    const [chip] = await h.settled()
    expect(chip?.state).toEqual({ phase: 'attached', ref: { id: mainsId, name: 'cat.png', mimeType: 'image/png', size: 5, kind: 'image' } })
    expect(h.kept.get(mainsId)).toBe('data:image/webp;base64,AA')
    const upload = h.api.calls.find((call) => call.method === 'putAttachment')?.args[0]
    expect(upload).toEqual({ name: 'cat.png', mimeType: 'image/png', dataBase64: btoa('hello') })
    expect(h.actions.some((action) => action.type === 'progress')).toBe(true)
  })

  it('refuses a file over its limit or of an unsupported type in the window: nothing is read or uploaded', async () => {
    const h = harness(() => Promise.reject(new Error('must not read')))
    const big = { ...file('big.png', 'image/png'), name: 'big.png', type: 'image/png', size: 21 * 1024 * 1024 } as File
    attachFiles(h.deps, [big, file('song.mp3', 'audio/mpeg')], 0, h.dispatch)
    const chips = await h.settled()
    expect(chips.map((chip) => chip.state.phase)).toEqual(['refused', 'refused'])
    expect(chips[0]?.state).toMatchObject({ error: expect.stringContaining('at most 20 MB') })
    expect(h.api.calls.filter((call) => call.method === 'putAttachment')).toEqual([])
  })

  it('shows main’s refusal and a vanished file on the chip', async () => {
    const h = harness(async (f, request, onProgress) => {
      if (f.name === 'gone.txt') throw new PrepareFailed('vanished', 'gone.txt could not be read: it was moved, deleted or changed after it was attached.')
      return inProcess(f, request, onProgress)
    })
    h.api.putAttachmentAnswer = () => Promise.reject(new ParleyError('AttachmentDamaged', 'broken.pdf is damaged: its pages cannot be read.'))
    attachFiles(h.deps, [file('gone.txt', 'text/plain'), file('broken.pdf', 'application/pdf')], 0, h.dispatch)
    const chips = await h.settled()
    expect(chips.map((chip) => (chip.state.phase === 'refused' ? chip.state.error : chip.state.phase))).toEqual([
      'gone.txt could not be read: it was moved, deleted or changed after it was attached.',
      'broken.pdf is damaged: its pages cannot be read.'
    ])
  })

  it('takes the ref of a file the worker already stored (browser mode), without sending it again', async () => {
    const ref: AttachmentRef = { id: 'e'.repeat(64), name: 'big.txt', mimeType: 'text/plain', size: 5, kind: 'text' }
    const h = harness(async () => ({ type: 'stored', sha256: 'e'.repeat(64), stored: { ref }, thumbnail: null }))
    attachFiles(h.deps, [file('big.txt', 'text/plain')], 0, h.dispatch)
    const [chip] = await h.settled()
    expect(chip?.state).toEqual({ phase: 'attached', ref })
    expect(h.api.calls).toEqual([])
  })

  it('keeps main’s warning on the chip: a PDF with no text is attached, and says the model may see nothing of it', async () => {
    const warning = 'No text found (scanned?): the model will see nothing of it, unless it reads PDFs itself (Claude).'
    const ref: AttachmentRef = { id: 'c'.repeat(64), name: 'scan.pdf', mimeType: 'application/pdf', size: 5, kind: 'pdf' }
    const h = harness()
    h.api.putAttachmentAnswer = async () => ({ ref, warning })
    attachFiles(h.deps, [file('scan.pdf', 'application/pdf')], 0, h.dispatch)
    const [chip] = await h.settled()
    expect(chip?.state).toEqual({ phase: 'attached', ref, warning })
  })

  it('takes up to 16 and says how many were left out', async () => {
    const h = harness()
    const files = Array.from({ length: 5 }, (_, i) => file(`f${i}.txt`, 'text/plain'))
    const { leftOut } = attachFiles(h.deps, files, 14, h.dispatch)
    expect(h.chips()).toHaveLength(2)
    expect(leftOut).toBe('A prompt holds at most 16 attachments: 3 files were left out.')
    await h.settled()
  })

  it('names a pasted image that came without a name', async () => {
    const h = harness()
    attachFiles(h.deps, [file('', 'image/png')], 0, h.dispatch)
    expect(h.chips()[0]?.name).toBe('pasted image.png')
    await h.settled()
  })
})
