import { describe, expect, it } from 'vitest'
import type { AttachmentRef } from '../../../shared'
import type { AttachmentChip } from '../attachments/chip-list'
import { fingerprintOf, keepScreen, readKeptScreen } from '../chat/first-screen'
import { memoryStorage, quotaStorage } from '../testing/memory-storage'
import { isKeptChip, keepDraftFiles, keptThumbnailChars, readDraftFiles } from './draft-files'
import { draftFilesKey } from './drafts'

const ref = (name: string, kind: AttachmentRef['kind'] = 'text'): AttachmentRef => ({
  id: name.charCodeAt(0).toString(16).padStart(64, '0'),
  name,
  mimeType: kind === 'image' ? 'image/png' : 'text/plain',
  size: 10,
  kind
})
const attached = (file: AttachmentRef, thumbnail: string | null = null): AttachmentChip => ({
  key: `k-${file.name}`,
  name: file.name,
  size: file.size,
  kind: file.kind,
  thumbnail,
  state: { phase: 'attached', ref: file }
})
const thumb = 'data:image/webp;base64,AAAA'

describe("a draft's files, kept beside its text", () => {
  it('keeps the attached files of each chat, in order, with their thumbnails, and reads them back as attached chips', () => {
    const storage = memoryStorage()
    const photo = ref('photo.png', 'image')
    const notes = ref('notes.txt')
    expect(keepDraftFiles(storage, 's1', [attached(photo, thumb), attached(notes)])).toBe(true)
    keepDraftFiles(storage, undefined, [attached(ref('first.txt'))])
    const back = readDraftFiles(storage, 's1')
    expect(back.map((chip) => [chip.name, chip.thumbnail, chip.state])).toEqual([
      ['photo.png', thumb, { phase: 'attached', ref: photo }],
      ['notes.txt', null, { phase: 'attached', ref: notes }]
    ])
    expect(back.every(isKeptChip)).toBe(true)
    expect(new Set(back.map((chip) => chip.key)).size).toBe(2)
    expect(readDraftFiles(storage, undefined).map((chip) => chip.name)).toEqual(['first.txt'])
    expect(readDraftFiles(storage, 's2')).toEqual([])
  })

  it('keeps main’s warning with a file (a PDF with no text), so the chip still says it after a restart', () => {
    const storage = memoryStorage()
    const scan = ref('scan.pdf', 'pdf')
    const warning = 'No text found (scanned?): the model will see nothing of it, unless it reads PDFs itself (Claude).'
    keepDraftFiles(storage, 's1', [{ ...attached(scan), state: { phase: 'attached', ref: scan, warning } }])
    expect(readDraftFiles(storage, 's1').map((chip) => chip.state)).toEqual([{ phase: 'attached', ref: scan, warning }])
  })

  it('keeps only attached files: one still on its way or refused is not kept, and none left removes the entry', () => {
    const storage = memoryStorage()
    const reading: AttachmentChip = { key: 'r', name: 'big.txt', size: 1, kind: null, thumbnail: null, state: { phase: 'reading', fraction: 0.5 } }
    const refused: AttachmentChip = { key: 'x', name: 'huge.bin', size: 1, kind: null, thumbnail: null, state: { phase: 'refused', error: 'too large' } }
    keepDraftFiles(storage, 's1', [reading, attached(ref('a.txt')), refused])
    expect(readDraftFiles(storage, 's1').map((chip) => chip.name)).toEqual(['a.txt'])
    keepDraftFiles(storage, 's1', [reading])
    expect(storage.values.has(draftFilesKey('s1'))).toBe(false)
  })

  it('leaves out a thumbnail too large to keep, and keeps no thumbnail at all when storage is too full for them', () => {
    const big = `data:image/webp;base64,${'A'.repeat(keptThumbnailChars)}`
    const storage = memoryStorage()
    keepDraftFiles(storage, 's1', [attached(ref('big.png', 'image'), big), attached(ref('small.png', 'image'), thumb)])
    expect(readDraftFiles(storage, 's1').map((chip) => chip.thumbnail)).toEqual([null, thumb])
    const nearlyFull = memoryStorage(400)
    expect(keepDraftFiles(nearlyFull, 's1', [attached(ref('a.png', 'image'), `data:image/webp;base64,${'B'.repeat(300)}`)])).toBe(true)
    expect(readDraftFiles(nearlyFull, 's1').map((chip) => [chip.name, chip.thumbnail])).toEqual([['a.png', null]])
    expect(keepDraftFiles(memoryStorage(10), 's1', [attached(ref('a.txt'))])).toBe(false)
  })

  it('takes the room of the screen kept for the next start when storage is full, thumbnails and all', () => {
    const storage = quotaStorage(2_000)
    keepScreen(storage, { sessionId: 's1', leafId: 'a1', answers: [{ id: 'a1', fingerprint: fingerprintOf('x'), html: 'x'.repeat(1_700) }] })
    const photo = `data:image/webp;base64,${'B'.repeat(600)}`
    expect(keepDraftFiles(storage, 's1', [attached(ref('a.png', 'image'), photo)])).toBe(true)
    expect(readDraftFiles(storage, 's1').map((chip) => chip.thumbnail)).toEqual([photo])
    expect(readKeptScreen(storage)).toBeUndefined()
  })

  it('reads damaged or foreign entries as no files, and throws nothing when storage refuses', () => {
    const storage = memoryStorage()
    for (const text of ['{not json', '{"v":2,"files":[]}', '{"v":1,"files":[{"ref":{"id":"not a hash"},"thumbnail":null}]}', '[]']) {
      storage.setItem(draftFilesKey('s1'), text)
      expect(readDraftFiles(storage, 's1')).toEqual([])
    }
    storage.setItem(draftFilesKey('s1'), JSON.stringify({ v: 1, files: [{ ref: ref('a.txt'), thumbnail: 'javascript:alert(1)' }] }))
    expect(readDraftFiles(storage, 's1')).toEqual([])
    const refusing = {
      getItem: (): string => {
        throw new Error('SecurityError')
      },
      setItem: (): void => {
        throw new Error('SecurityError')
      },
      removeItem: (): void => {
        throw new Error('SecurityError')
      }
    }
    expect(readDraftFiles(refusing, 's1')).toEqual([])
    expect(keepDraftFiles(refusing, 's1', [attached(ref('a.txt'))])).toBe(false)
    expect(keepDraftFiles(undefined, 's1', [attached(ref('a.txt'))])).toBe(false)
  })
})
