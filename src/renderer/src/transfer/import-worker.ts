/// <reference lib="webworker" />
import { importWorkerReplies, readForImport } from './import-reading'

/**
 * The import worker: reads a chosen file, its JSON and its checks (`readForImport`), and posts the reading's head and
 * then each batch, so that a large export never holds the window's main thread (import-reading.ts).
 */
declare const self: DedicatedWorkerGlobalScope

self.onmessage = async (event: MessageEvent<unknown>) => {
  const file = event.data
  if (!(file instanceof Blob)) {
    self.postMessage({ kind: 'refused', problems: ['No file was given to read.'] })
    return
  }
  let text: string
  try {
    text = await file.text()
  } catch (error) {
    self.postMessage({ kind: 'refused', problems: [`The file could not be read: ${error instanceof Error ? error.message : String(error)}`] })
    return
  }
  for (const reply of importWorkerReplies(readForImport(text))) self.postMessage(reply)
}
