import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { answerFromWorker } from './worker-answer'

const schema = z.union([z.object({ ok: z.literal(true), length: z.number() }), z.object({ ok: z.literal(false), reason: z.string() })])
const job = (code: string, timeoutMs = 10_000) => {
  const bytes = new Uint8Array([1, 2, 3])
  return answerFromWorker({ code, workerData: { add: 1 }, message: bytes, transfer: [bytes.buffer], schema, timeoutMs, who: 'the reader', doing: 'reading it' })
}
const header = "const { parentPort, workerData } = require('node:worker_threads');"

describe('answerFromWorker', () => {
  it('answers what the worker posts, read through the schema, with the message and workerData it was given', async () => {
    await expect(job(`${header} parentPort.once('message', (bytes) => parentPort.postMessage({ ok: true, length: bytes.length + workerData.add }))`)).resolves.toEqual({ ok: true, length: 4 })
  })

  it('a worker that answers nonsense, throws, exits or never answers ends as a failure in words, never hangs', async () => {
    await expect(job(`${header} parentPort.once('message', () => parentPort.postMessage({ length: 'many' }))`)).resolves.toEqual({ ok: false, reason: 'the reader gave no answer' })
    await expect(job(`${header} parentPort.once('message', () => { throw new Error('broken bytes') })`)).resolves.toEqual({ ok: false, reason: 'broken bytes' })
    await expect(job(`${header} parentPort.once('message', () => process.exit(3))`)).resolves.toEqual({ ok: false, reason: 'the reader stopped (exit 3)' })
    await expect(job(`${header} parentPort.once('message', () => setInterval(() => {}, 1000))`, 300)).resolves.toEqual({ ok: false, reason: 'reading it took longer than 0.3 s' })
  })
})
