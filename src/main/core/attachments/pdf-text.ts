import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { z } from 'zod'

/**
 * The worker's code: pdf.js (the legacy build, for Node) reads the PDF given and answers its text, page by page. It is
 * plain JavaScript passed as a string, so it runs the same from the sources (tests) and from the bundle (the app),
 * and pdf.js is imported from the path main resolved.
 */
const workerCode = `
const { parentPort, workerData } = require('node:worker_threads')
parentPort.once('message', async (data) => {
  try {
    const pdfjs = await import(workerData.pdfjsUrl)
    const task = pdfjs.getDocument({ data, disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 })
    const doc = await task.promise
    const pages = []
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n)
      const content = await page.getTextContent()
      let text = ''
      for (const item of content.items) {
        if (typeof item.str !== 'string') continue
        text += item.str
        if (item.hasEOL) text += '\\n'
        else if (item.str !== '' && !text.endsWith(' ')) text += ' '
      }
      pages.push(text.trim())
      page.cleanup()
    }
    await doc.destroy()
    parentPort.postMessage({ ok: true, pages })
  } catch (error) {
    const locked = Boolean(error && error.name === 'PasswordException')
    parentPort.postMessage({ ok: false, reason: String(error && error.message ? error.message : error), locked })
  }
})
`

const answerSchema = z.union([
  z.object({ ok: z.literal(true), pages: z.array(z.string()) }),
  /** `locked`: the PDF is encrypted with a password (pdf.js's PasswordException), not damaged. */
  z.object({ ok: z.literal(false), reason: z.string(), locked: z.boolean().optional() })
])
export type PdfText = z.infer<typeof answerSchema>

let pdfjsUrl: string | undefined

function resolvePdfjs(): string {
  pdfjsUrl ??= pathToFileURL(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.mjs')).href
  return pdfjsUrl
}

/**
 * A PDF's text, page by page, read by pdf.js in a worker thread of its own, so a large PDF never stalls main's event
 * loop. Answers `{ ok: false, reason }` for a PDF pdf.js can't read (damaged, not a PDF, or encrypted with a password:
 * then `locked` too), or one that takes longer than `timeoutMs`. The bytes are copied to the worker; the caller's stay
 * as they are.
 */
export function readPdfText(bytes: Uint8Array, timeoutMs = 120_000): Promise<PdfText> {
  return new Promise((resolve) => {
    const worker = new Worker(workerCode, { eval: true, workerData: { pdfjsUrl: resolvePdfjs() } })
    let settled = false
    const finish = (answer: PdfText): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void worker.terminate()
      resolve(answer)
    }
    const timer = setTimeout(() => finish({ ok: false, reason: `reading it took longer than ${timeoutMs / 1000} s` }), timeoutMs)
    worker.once('message', (message: unknown) => {
      const parsed = answerSchema.safeParse(message)
      finish(parsed.success ? parsed.data : { ok: false, reason: 'the PDF reader gave no answer' })
    })
    worker.once('error', (error) => finish({ ok: false, reason: error.message }))
    worker.once('exit', (code) => finish({ ok: false, reason: `the PDF reader stopped (exit ${code})` }))
    const copy = new Uint8Array(bytes)
    worker.postMessage(copy, [copy.buffer])
  })
}
