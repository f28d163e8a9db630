import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { z } from 'zod'
import { answerFromWorker } from './worker-answer'

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
  const copy = new Uint8Array(bytes)
  return answerFromWorker({
    code: workerCode,
    workerData: { pdfjsUrl: resolvePdfjs() },
    message: copy,
    transfer: [copy.buffer],
    schema: answerSchema,
    timeoutMs,
    who: 'the PDF reader',
    doing: 'reading it'
  })
}
