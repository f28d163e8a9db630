// Issue 14: how long storing a large attachment holds main's event loop (the longest gap a 1 ms ticker sees), beside
// baselines measured in the same run. Run: node --import tsx bench/attachment-put.ts
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { AttachmentStore } from '../src/main/core/attachments/attachment-store'
import { decodeUpload } from '../src/main/core/attachments/decode-upload'
import { tinyPdf, tinyPng } from '../src/main/core/attachments/test-fixtures/tiny-pdf'

async function longestStall(work: () => Promise<unknown>): Promise<{ stall: number; total: number }> {
  let last = performance.now()
  let stall = 0
  const timer = setInterval(() => {
    const now = performance.now()
    stall = Math.max(stall, now - last)
    last = now
  }, 1)
  const start = performance.now()
  await work()
  const total = performance.now() - start
  clearInterval(timer)
  stall = Math.max(stall, performance.now() - last)
  return { stall, total }
}

const store = new AttachmentStore(mkdtempSync(join(tmpdir(), 'att-bench-')))
const text = Buffer.alloc(50 * 1024 * 1024 - 1, 'abcdefgh\n')
const image = Buffer.concat([tinyPng.subarray(0, 33), Buffer.alloc(20 * 1024 * 1024 - 100, 1), tinyPng.subarray(-12)])
const pages = Array.from({ length: 2000 }, (_, i) => `Page ${i} ${'lorem ipsum dolor sit amet '.repeat(20)}`)
const pdf = tinyPdf(pages)
// The upload's base64 exists before put is called (the transport parsed it): encoded outside the timed sections.
const [textB64, imageB64, pdfB64] = [text, image, pdf].map((b) => b.toString('base64')) as [string, string, string]
for (const [name, run] of [
  ['baseline: no work at all for 1 s (what the machine\'s load alone does to the ticker)', () => new Promise((r) => setTimeout(r, 1000))],
  ['baseline, in main: Buffer.from(base64) of 50 MB', async () => Buffer.from(textB64, 'base64')],
  ['baseline, in main: sha256 of 50 MB', async () => createHash('sha256').update(text).digest('hex')],
  ['baseline, in main: JSON.parse of a frame carrying 50 MB', async () => JSON.parse(JSON.stringify({ dataBase64: textB64 })) as unknown],
  ['decodeUpload (sliced) of 50 MB', () => decodeUpload(textB64)],
  ['put 50 MB text file', () => store.put({ name: 'big.txt', mimeType: 'text/plain', dataBase64: textB64 })],
  ['put 20 MB image', () => store.put({ name: 'big.png', mimeType: 'image/png', dataBase64: imageB64 })],
  [`put PDF, ${pages.length} pages, ${(pdf.length / 1e6).toFixed(1)} MB`, () => store.put({ name: 'big.pdf', mimeType: 'application/pdf', dataBase64: pdfB64 })]
] as const) {
  const { stall, total } = await longestStall(run as () => Promise<unknown>)
  console.log(`${name}: longest event-loop stall ${stall.toFixed(0)} ms, total ${total.toFixed(0)} ms`)
}
