import { z } from 'zod'
import { archiveBatches, readImportFile, type ImportSource } from './chat-import'

/** A chosen file read for import: its calls to main (about 1 MB each), or every problem that refuses it whole. */
export type ImportReading = { ok: true; source: ImportSource; chats: number; batches: readonly unknown[] } | { ok: false; problems: string[] }

/** Reads a file's text for import (`readImportFile`) and cuts it into calls: what the import worker does. */
export function readForImport(text: string, now = Date.now()): ImportReading {
  const reading = readImportFile(text, now)
  if (!reading.ok) return reading
  return { ok: true, source: reading.source, chats: reading.archive.chats.length, batches: archiveBatches(reading.archive) }
}

/**
 * What the import worker posts: the reading's head (or its refusal), then each batch in a message of its own, so the
 * window takes them in one short task each instead of one long one.
 */
export const importWorkerReplySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('refused'), problems: z.array(z.string()) }),
  z.object({ kind: z.literal('read'), source: z.enum(['parley', 'chatgpt']), chats: z.number().int().nonnegative(), batches: z.number().int().nonnegative() }),
  // Checked whole by main, as any archive is (`importChats`).
  z.object({ kind: z.literal('batch'), batch: z.unknown() })
])
export type ImportWorkerReply = z.infer<typeof importWorkerReplySchema>

/** The replies for one reading, in the order the worker posts them. */
export function importWorkerReplies(reading: ImportReading): ImportWorkerReply[] {
  if (!reading.ok) return [{ kind: 'refused', problems: reading.problems }]
  return [
    { kind: 'read', source: reading.source, chats: reading.chats, batches: reading.batches.length },
    ...reading.batches.map((batch): ImportWorkerReply => ({ kind: 'batch', batch }))
  ]
}

/** Collects the worker's replies into a reading; undefined until the last batch came. */
export class ImportReplies {
  private head: Extract<ImportWorkerReply, { kind: 'read' }> | undefined
  private readonly batches: unknown[] = []

  take(data: unknown): ImportReading | undefined {
    const reply = importWorkerReplySchema.safeParse(data)
    if (!reply.success) return { ok: false, problems: ['The file could not be read (the import worker answered something else).'] }
    if (reply.data.kind === 'refused') return { ok: false, problems: reply.data.problems }
    if (reply.data.kind === 'read') this.head = reply.data
    else this.batches.push(reply.data.batch)
    const { head } = this
    if (!head || this.batches.length < head.batches) return undefined
    return { ok: true, source: head.source, chats: head.chats, batches: this.batches }
  }
}

/**
 * Reads a chosen file for import off the window's main thread (reading, JSON, ChatGPT's conversion and the checks
 * of a 76 MB export took 1.3 s in one task), in a worker of its own; inline where workers are missing (tests).
 */
export function readImport(file: File): Promise<ImportReading> {
  if (typeof Worker === 'undefined') return file.text().then((text) => readForImport(text))
  return new Promise<ImportReading>((resolve) => {
    const worker = new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' })
    const replies = new ImportReplies()
    const end = (reading: ImportReading): void => {
      worker.terminate()
      resolve(reading)
    }
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const reading = replies.take(event.data)
      if (reading) end(reading)
    }
    // A worker that stops (out of memory on a huge file, say) refuses the file: nothing was sent to main.
    worker.onerror = (event) => end({ ok: false, problems: [`${file.name} could not be read (${event.message || 'its reader stopped'}).`] })
    worker.postMessage(file)
  })
}
