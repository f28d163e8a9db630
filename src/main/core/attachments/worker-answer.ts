import { Worker } from 'node:worker_threads'
import type { z } from 'zod'

/** A worker's failure, in words for the person: it crashed, stopped, answered nonsense or took too long. */
export interface WorkerFailure {
  ok: false
  reason: string
}

/**
 * One answer from `code` (plain JavaScript, run with `eval`) in a worker thread of its own, so a large file never
 * stalls main's event loop: `message` is posted to it (its `transfer` list moved, not copied), and its one answer is
 * read through `schema`. The worker is ended once it has answered, failed, or taken longer than `timeoutMs`; each of
 * those ends as `{ ok: false, reason }` in the words of `who` ("the PDF reader") and `doing` ("reading it").
 */
export function answerFromWorker<T>(job: {
  code: string
  workerData: unknown
  message: unknown
  transfer: ArrayBuffer[]
  schema: z.ZodType<T>
  timeoutMs: number
  who: string
  doing: string
}): Promise<T | WorkerFailure> {
  return new Promise((resolve) => {
    const worker = new Worker(job.code, { eval: true, workerData: job.workerData })
    let settled = false
    const finish = (answer: T | WorkerFailure): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void worker.terminate()
      resolve(answer)
    }
    const timer = setTimeout(() => finish({ ok: false, reason: `${job.doing} took longer than ${job.timeoutMs / 1000} s` }), job.timeoutMs)
    worker.once('message', (message: unknown) => {
      const parsed = job.schema.safeParse(message)
      finish(parsed.success ? parsed.data : { ok: false, reason: `${job.who} gave no answer` })
    })
    worker.once('error', (error) => finish({ ok: false, reason: error.message }))
    worker.once('exit', (code) => finish({ ok: false, reason: `${job.who} stopped (exit ${code})` }))
    worker.postMessage(job.message, job.transfer)
  })
}
