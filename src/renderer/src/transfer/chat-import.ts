import {
  archiveFormat,
  archiveVersion,
  looksLikeChatGpt,
  readArchive,
  readChatGptExport,
  type ChatArchive,
  type ImportResult,
  type ParleyApi
} from '../../../shared'

/** Where a file came from, as the result says it. */
export type ImportSource = 'parley' | 'chatgpt'

export type ImportFileReading = { ok: true; source: ImportSource; archive: ChatArchive } | { ok: false; problems: string[] }

/** What a JSON file that is neither a Parley export nor ChatGPT's is told. */
export const notAnExport =
  'This JSON file is not a Parley export (its "format" would be "parley.chats") nor ChatGPT\'s conversations.json. Choose a file Parley exported, or ChatGPT\'s conversations.json.'

/** Whether the JSON says it is a Parley archive (its `format`), however damaged the rest may be. */
function saysParleyFormat(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { format?: unknown }).format === archiveFormat
}

/**
 * A chosen file's text, read whole before anything is sent: JSON, then by its shape a Parley archive or ChatGPT's
 * `conversations.json`, every problem named with where it is.
 */
export function readImportFile(text: string, now = Date.now()): ImportFileReading {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return { ok: false, problems: [`The file is not JSON (${why}). Choose a Parley export or ChatGPT's conversations.json.`] }
  }
  if (looksLikeChatGpt(value)) {
    const reading = readChatGptExport(value, now)
    return reading.ok ? { ok: true, source: 'chatgpt', archive: reading.archive } : reading
  }
  // Some other JSON: one sentence, not the archive schema's five complaints about fields it never meant to have.
  if (!saysParleyFormat(value)) return { ok: false, problems: [notAnExport] }
  const reading = readArchive(value)
  return reading.ok ? { ok: true, source: 'parley', archive: reading.archive } : reading
}

/**
 * The most JSON one call carries. Main publishes one call in one pass (about 0.35 s per MB, docs/decisions.md), so a
 * larger file goes in several calls, each whole or not at all; the file was checked whole before the first, and a
 * second import skips what is there.
 */
export const importBatchChars = 1024 * 1024

/** The archive's chats in groups of at most `maxChars` of JSON (a chat larger than that goes alone). */
export function importBatches(archive: ChatArchive, maxChars = importBatchChars): ChatArchive[] {
  const batches: ChatArchive[] = []
  let chats: ChatArchive['chats'] = []
  let chars = 0
  for (const chat of archive.chats) {
    const size = JSON.stringify(chat).length
    if (chats.length > 0 && chars + size > maxChars) {
      batches.push({ ...archive, chats })
      chats = []
      chars = 0
    }
    chats.push(chat)
    chars += size
  }
  if (chats.length > 0 || batches.length === 0) batches.push({ ...archive, chats })
  return batches
}

/** The archive's calls to main: stamped with the format and version this Parley writes, in batches of about 1 MB. */
export function archiveBatches(archive: ChatArchive): ChatArchive[] {
  return importBatches({ ...archive, format: archiveFormat, version: archiveVersion })
}

/** Sends the archive to main batch by batch; the totals of what main did. */
export function importArchive(
  api: Pick<ParleyApi, 'importChats'>,
  archive: ChatArchive,
  onProgress?: (done: number, total: number) => void
): Promise<ImportResult> {
  return sendImportBatches(api, archiveBatches(archive), onProgress)
}

/**
 * Sends batches made by `archiveBatches` (here or in the import worker) to main, one call each, in order; the totals
 * of what main did. Main reads each batch as it reads any archive.
 */
export async function sendImportBatches(
  api: Pick<ParleyApi, 'importChats'>,
  batches: readonly unknown[],
  onProgress?: (done: number, total: number) => void
): Promise<ImportResult> {
  const total: ImportResult = { imported: 0, skipped: 0, messages: 0 }
  for (const [index, batch] of batches.entries()) {
    const result = await api.importChats(batch)
    total.imported += result.imported
    total.skipped += result.skipped
    total.messages += result.messages
    onProgress?.(index + 1, batches.length)
  }
  return total
}

const chats = (count: number): string => `${count} chat${count === 1 ? '' : 's'}`

const sourceNames: Record<ImportSource, string> = { parley: 'Parley export', chatgpt: 'ChatGPT export' }

/** "Importing 3 chats (ChatGPT export)…" */
export function importingText(count: number, source: ImportSource): string {
  return `Importing ${chats(count)} (${sourceNames[source]})…`
}

/** "Imported 3 chats (120 messages); 1 was already here." */
export function importSummary(result: ImportResult): string {
  const here = result.skipped === 1 ? '1 was already here' : `${result.skipped} were already here`
  if (result.imported === 0 && result.skipped === 0) return 'The file has no chats: nothing was imported.'
  if (result.imported === 0) return `Nothing new: ${result.skipped === 1 ? 'the chat was' : `all ${chats(result.skipped)} were`} already here.`
  const messages = `${result.messages} message${result.messages === 1 ? '' : 's'}`
  return `Imported ${chats(result.imported)} (${messages})${result.skipped > 0 ? `; ${here}` : ''}.`
}
