import { describe, expect, it } from 'vitest'
import { attachmentLimits } from '../../../shared'
import { checkAttachable, kindOf, sizeLabel } from './attachable'

const mb = 1024 * 1024

describe('checkAttachable', () => {
  it('accepts an image, a text file and a PDF within their limits', () => {
    expect(checkAttachable({ name: 'cat.png', type: 'image/png', size: 20 * mb }, 0)).toEqual({ ok: true, kind: 'image', mimeType: 'image/png' })
    expect(checkAttachable({ name: 'notes.md', type: '', size: 10 }, 0)).toEqual({ ok: true, kind: 'text', mimeType: 'text/plain' })
    expect(checkAttachable({ name: 'paper.pdf', type: 'application/pdf', size: 50 * mb }, 15)).toEqual({
      ok: true,
      kind: 'pdf',
      mimeType: 'application/pdf'
    })
  })

  it('refuses an image over 20 MB and a file over 50 MB, naming the limit', () => {
    const image = checkAttachable({ name: 'big.png', type: 'image/png', size: 20 * mb + 1 }, 0)
    expect(image).toMatchObject({ ok: false, code: 'AttachmentTooLarge' })
    expect(image.ok ? '' : image.message).toContain('an image can be at most 20 MB')
    const file = checkAttachable({ name: 'big.pdf', type: 'application/pdf', size: 51 * mb }, 0)
    expect(file.ok ? '' : file.message).toContain('a file can be at most 50 MB')
  })

  it('refuses a seventeenth attachment', () => {
    const check = checkAttachable({ name: 'a.txt', type: 'text/plain', size: 1 }, attachmentLimits.perPrompt)
    expect(check.ok ? '' : check.message).toBe('A prompt holds at most 16 attachments.')
  })

  it("refuses a type it can't send, saying what it can", () => {
    const check = checkAttachable({ name: 'song.mp3', type: 'audio/mpeg', size: 10 }, 0)
    expect(check).toMatchObject({ ok: false, code: 'AttachmentUnsupported' })
    expect(check.ok ? '' : check.message).toContain('audio/mpeg')
    const binary = checkAttachable({ name: 'blob.bin', type: 'application/octet-stream', size: 10 }, 0)
    expect(binary.ok ? '' : binary.message).toBe(
      "Parley can't send files of type application/octet-stream: attach an image (PNG, JPEG, GIF, WebP), a text or code file, or a PDF."
    )
    expect(kindOf({ name: 'photo.tiff', type: 'image/tiff' })).toBeUndefined()
    expect(kindOf({ name: 'archive.zip', type: '' })).toBeUndefined()
  })

  it('knows code files the browser names by no type', () => {
    expect(kindOf({ name: 'main.rs', type: '' })?.kind).toBe('text')
    expect(kindOf({ name: 'app.ts', type: 'application/octet-stream' })?.kind).toBe('text')
    expect(kindOf({ name: 'data.json', type: 'application/json' })?.kind).toBe('text')
  })
})

describe('sizeLabel', () => {
  it('writes bytes, kilobytes and megabytes', () => {
    expect(sizeLabel(812)).toBe('812 B')
    expect(sizeLabel(14 * 1024)).toBe('14 KB')
    expect(sizeLabel(3.25 * mb)).toBe('3.3 MB')
    expect(sizeLabel(50 * mb)).toBe('50 MB')
  })
})
