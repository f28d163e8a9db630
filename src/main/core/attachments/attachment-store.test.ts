import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyError, type AttachmentUpload } from '../../../shared'
import { createHash } from 'node:crypto'
import { GifWriter } from 'omggif'
import { gifIsAnimated } from './attachment-kind'
import { animatedGifWarning, AttachmentStore, textlessPdfWarning, unusedAttachmentAgeMs } from './attachment-store'
import { animatedGif } from './test-fixtures/tiny-images'
import { tinyPdf, tinyPng } from './test-fixtures/tiny-pdf'

/** A GIF of one frame, 3 × 1, with a local palette (so the walk skips one), as omggif writes it. */
function stillGif(): Buffer {
  const buf = Buffer.alloc(256)
  const writer = new GifWriter(buf, 3, 1)
  writer.addFrame(0, 0, 3, 1, [0, 1, 1], { palette: [0x000000, 0xffffff] })
  return buf.subarray(0, writer.end())
}

const dirs: string[] = []
function store(now?: () => number): AttachmentStore {
  const dir = mkdtempSync(join(tmpdir(), 'parley-att-'))
  dirs.push(dir)
  return new AttachmentStore(dir, now ? { now } : {})
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function upload(name: string, bytes: Buffer, mimeType = ''): AttachmentUpload {
  return { name, mimeType, dataBase64: bytes.toString('base64') }
}

async function refusal(promise: Promise<unknown>): Promise<ParleyError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(error instanceof ParleyError)) throw new Error(`expected a ParleyError, got ${String(error)}`)
  return error
}

describe('AttachmentStore', () => {
  it('stores a file once by its SHA-256, whatever name it comes under (idempotent)', async () => {
    const s = store()
    const first = await s.put(upload('a.png', tinyPng, 'image/png'))
    const second = await s.put(upload('b.png', tinyPng, 'image/png'))
    expect(first.id).toBe(createHash('sha256').update(tinyPng).digest('hex'))
    expect(second).toEqual({ ...first, name: 'b.png' })
    expect(first).toMatchObject({ kind: 'image', mimeType: 'image/png', size: tinyPng.length })
    expect(readdirSync(s.dir).sort()).toEqual([first.id, `${first.id}.json`])
    expect((await s.read(first.id)).bytes.equals(tinyPng)).toBe(true)
  })

  it('writes atomically: no temp file is left, and bytes without their .json count as absent', async () => {
    const s = store()
    const ref = await s.put(upload('notes.md', Buffer.from('# hi\n'), 'text/markdown'))
    expect(readdirSync(s.dir).some((name) => name.endsWith('.tmp'))).toBe(false)
    rmSync(join(s.dir, `${ref.id}.json`))
    expect(s.has(ref.id)).toBe(false)
    expect((await refusal(s.read(ref.id))).code).toBe('AttachmentMissing')
  })

  it('refuses an image over 20 MB and a file over 50 MB, naming the limit', async () => {
    const s = store()
    const bigImage = Buffer.concat([tinyPng.subarray(0, 16), Buffer.alloc(21 * 1024 * 1024), tinyPng.subarray(-12)])
    const image = await refusal(s.put(upload('big.png', bigImage, 'image/png')))
    expect(image.code).toBe('AttachmentTooLarge')
    expect(image.message).toContain('20 MB')
    const bigText = Buffer.alloc(51 * 1024 * 1024, 'a')
    const text = await refusal(s.put(upload('big.txt', bigText, 'text/plain')))
    expect(text.code).toBe('AttachmentTooLarge')
    expect(text.message).toContain('50 MB')
    expect(s.ids()).toEqual([])
  })

  it('sniffs the kind from the bytes: an image named .txt is an image, code by its extension is text', async () => {
    const s = store()
    expect(await s.put(upload('looks.txt', tinyPng, 'text/plain'))).toMatchObject({ kind: 'image', mimeType: 'image/png' })
    expect(await s.put(upload('main.rs', Buffer.from('fn main() {}\n'), ''))).toMatchObject({ kind: 'text', mimeType: 'text/plain' })
    expect(await s.put(upload('data.json', Buffer.from('{"a":1}'), 'application/json'))).toMatchObject({ kind: 'text' })
    expect((await refusal(s.put(upload('app.exe', Buffer.from([0x4d, 0x5a, 0, 1]), 'application/octet-stream')))).code).toBe(
      'AttachmentUnsupported'
    )
    expect((await refusal(s.put(upload('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain')))).code).toBe(
      'AttachmentUnsupported'
    )
  })

  it('refuses a damaged image (cut short, or not what its type says) as AttachmentDamaged', async () => {
    const s = store()
    const cut = await refusal(s.put(upload('cut.png', tinyPng.subarray(0, 40), 'image/png')))
    expect(cut.code).toBe('AttachmentDamaged')
    const fake = await refusal(s.put(upload('fake.jpg', Buffer.from('not a jpeg at all'), 'image/jpeg')))
    expect(fake.code).toBe('AttachmentDamaged')
    expect(s.ids()).toEqual([])
  })

  it('reads a PDF’s text page by page at put time, and keeps it beside the bytes', async () => {
    const s = store()
    const ref = await s.put(upload('doc.pdf', tinyPdf(['First page text', 'Second page text']), 'application/pdf'))
    expect(ref.kind).toBe('pdf')
    const loaded = await s.load(ref)
    expect(loaded.kind === 'pdf' && loaded.pages).toEqual(['First page text', 'Second page text'])
  })

  it('refuses a damaged PDF at attach, not at send', async () => {
    const s = store()
    const broken = await refusal(s.put(upload('broken.pdf', tinyPdf(['x']).subarray(0, 120), 'application/pdf')))
    expect(broken.code).toBe('AttachmentDamaged')
    expect(broken.message).toContain('broken.pdf')
    const notPdf = await refusal(s.put(upload('fake.pdf', Buffer.from('hello'), 'application/pdf')))
    expect(notPdf.code).toBe('AttachmentDamaged')
    expect(s.ids()).toEqual([])
  })

  it('refuses a PDF locked with a password as locked, not damaged; a damaged one’s reason ends in one full stop', async () => {
    const s = store()
    const locked = await refusal(s.put(upload('locked.pdf', tinyPdf(['Secret text'], { locked: true }), 'application/pdf')))
    expect(locked.code).toBe('AttachmentUnsupported')
    expect(locked.message).toBe("locked.pdf is locked with a password, and Parley can't open it: attach a copy without the password.")
    const broken = await refusal(s.put(upload('broken.pdf', Buffer.from('%PDF-1.4\n garbage garbage'), 'application/pdf')))
    expect(broken.message).toBe("broken.pdf is damaged: Parley can't read this PDF (Invalid PDF structure).")
    expect(s.ids()).toEqual([])
  })

  it('warns of a PDF with no text at all (a scanned page): stored, but a model reading its text sees nothing', async () => {
    const s = store()
    const scan = await s.put(upload('scan.pdf', tinyPdf(['', '']), 'application/pdf'))
    expect(await s.warningOf(scan.id)).toBe(textlessPdfWarning)
    // Stored before, put again: the same warning.
    expect(await s.warningOf((await s.put(upload('again.pdf', tinyPdf(['', '']), 'application/pdf'))).id)).toBe(textlessPdfWarning)
    const text = await s.put(upload('doc.pdf', tinyPdf(['', 'Second page text']), 'application/pdf'))
    expect(await s.warningOf(text.id)).toBeUndefined()
    const notes = await s.put(upload('notes.txt', Buffer.from('notes'), 'text/plain'))
    expect(await s.warningOf(notes.id)).toBeUndefined()
  })

  it('warns of an animated GIF that models see only its first frame; a GIF of one frame and a PNG have no warning', async () => {
    const s = store()
    expect(await s.warningOf((await s.put(upload('party.gif', animatedGif, 'image/gif'))).id)).toBe(animatedGifWarning)
    expect(await s.warningOf((await s.put(upload('still.gif', stillGif(), 'image/gif'))).id)).toBeUndefined()
    expect(await s.warningOf((await s.put(upload('dot.png', tinyPng, 'image/png'))).id)).toBeUndefined()
  })

  it('gifIsAnimated walks the blocks: two frames are an animation, one is not, a GIF cut short counts what it has', () => {
    expect(gifIsAnimated(animatedGif)).toBe(true)
    expect(gifIsAnimated(stillGif())).toBe(false)
    expect(gifIsAnimated(animatedGif.subarray(0, 60))).toBe(false)
    expect(gifIsAnimated(animatedGif.subarray(0, 8))).toBe(false)
  })

  it('refuses HEIC, AVIF, BMP and TIFF at attach, naming the four image types Parley sends', async () => {
    const s = store()
    const heif = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(32, 1)])
    for (const [name, type] of [
      ['IMG_0001.HEIC', 'image/heic'],
      ['photo.avif', 'image/avif'],
      ['scan.bmp', 'image/bmp'],
      ['fax.tiff', 'image/tiff']
    ] as const) {
      const error = await refusal(s.put(upload(name, heif, type)))
      expect(error.code, name).toBe('AttachmentUnsupported')
      expect(error.message).toBe(`${name}: Parley sends PNG, JPEG, GIF and WebP images, not ${type}.`)
    }
    // Without a declared type (a file from a phone's share sheet), the name alone still refuses it.
    expect((await refusal(s.put(upload('IMG_0002.HEIC', heif)))).code).toBe('AttachmentUnsupported')
  })

  it('sweep: removes unused files older than two weeks, orphaned bytes and temp files over an hour old; keeps used and young ones', async () => {
    let now = Date.now()
    const s = store(() => now)
    const used = await s.put(upload('used.txt', Buffer.from('used'), 'text/plain'))
    const unused = await s.put(upload('unused.txt', Buffer.from('unused'), 'text/plain'))
    const young = await s.put(upload('young.txt', Buffer.from('young'), 'text/plain'))
    const draft = await s.put(upload('draft.txt', Buffer.from('a draft of yesterday'), 'text/plain'))
    const old = new Date(now - unusedAttachmentAgeMs - 60_000)
    const yesterday = new Date(now - 24 * 60 * 60_000)
    for (const ref of [used, unused]) utimesSync(join(s.dir, `${ref.id}.json`), old, old)
    utimesSync(join(s.dir, `${draft.id}.json`), yesterday, yesterday)
    writeFileSync(join(s.dir, `${'e'.repeat(64)}`), 'orphan bytes')
    writeFileSync(join(s.dir, `${'f'.repeat(64)}.1.1.tmp`), 'torn')
    const twoHours = new Date(now - 2 * 60 * 60_000)
    utimesSync(join(s.dir, `${'f'.repeat(64)}.1.1.tmp`), twoHours, twoHours)
    writeFileSync(join(s.dir, `${'d'.repeat(64)}.1.2.tmp`), 'a put under way')
    now += 1
    expect(s.sweep((id) => id === used.id)).toBe(1)
    expect(s.ids().sort()).toEqual([used.id, young.id, draft.id].sort())
    expect(readdirSync(s.dir).sort()).toEqual(
      [used.id, `${used.id}.json`, young.id, `${young.id}.json`, draft.id, `${draft.id}.json`, `${'d'.repeat(64)}.1.2.tmp`].sort()
    )
  })

  it('holdKept: answers the files still stored and counts their age anew, so a draft kept for days keeps its files', async () => {
    let now = Date.now()
    const s = store(() => now)
    const kept = await s.put(upload('kept.txt', Buffer.from('kept'), 'text/plain'))
    const gone = await s.put(upload('gone.txt', Buffer.from('gone'), 'text/plain'))
    s.remove(gone.id)
    const longAgo = new Date(now - unusedAttachmentAgeMs + 60_000)
    utimesSync(join(s.dir, `${kept.id}.json`), longAgo, longAgo)
    expect(s.holdKept([gone.id, kept.id, 'not an id'])).toEqual([kept.id])
    expect(s.isHeld(kept.id)).toBe(true)
    // Nine days later, at the next start: held again 9 days ago, it is not yet two weeks old.
    now += 9 * 24 * 60 * 60_000
    expect(s.sweep(() => false)).toBe(0)
    expect(s.has(kept.id)).toBe(true)
    // Never held again: it goes once two weeks have passed since.
    now += 6 * 24 * 60 * 60_000
    expect(s.sweep(() => false)).toBe(1)
    expect(s.has(kept.id)).toBe(false)
  })
})
