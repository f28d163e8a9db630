import { archiveFormat, type ArchivedChat, type ImportResult, type ParleyApi } from '../../../shared'
import { exportChat } from '../transfer/chat-export'
import { importBatches } from '../transfer/chat-import'
import type { ParleyDatabase } from './schema'

export interface CopyBackOptions {
  api: Pick<ParleyApi, 'restoreLog' | 'finishLogRestore'>
  db: ParleyDatabase
  /** Chats sent so far, of all this window holds: 0 before the first call, then after each. */
  onProgress?: (done: number, total: number) => void
  /** What main put back, once it was told the copy is done. */
  onFinished?: (result: ImportResult) => void
  /** The most JSON one call carries (an import's batch size). */
  maxChars?: number
}

/**
 * Sends this window's copy of every chat back to main, whose message store was damaged and replaced
 * (`HistoryState.logRestoreWanted`): chat by chat, read from Dexie as an export reads them, in calls of about 1 MB,
 * then says it is done. A window that holds nothing (never filled, or emptied) sends nothing and leaves the restore to
 * one that does. Answers the totals of what main put back, or undefined when it sent nothing.
 */
export async function copyBack(options: CopyBackOptions): Promise<ImportResult | undefined> {
  const { api, db } = options
  if ((await db.lastAppliedSeq()) === 0) return undefined
  const ids = (await db.sessions.toCollection().primaryKeys()) as string[]
  const chats: ArchivedChat[] = []
  for (const id of ids) {
    const chat = await exportChat(db, id)
    if (chat) chats.push(chat)
  }
  const total: ImportResult = { imported: 0, skipped: 0, messages: 0 }
  let done = 0
  options.onProgress?.(0, chats.length)
  // Cut as an import's calls are: about 1 MB of JSON each, a larger chat alone.
  for (const batch of importBatches({ format: archiveFormat, version: 1, exportedAt: 0, chats }, options.maxChars)) {
    if (batch.chats.length === 0) continue
    const result = await api.restoreLog({ chats: batch.chats })
    total.imported += result.imported
    total.skipped += result.skipped
    total.messages += result.messages
    done += batch.chats.length
    options.onProgress?.(done, chats.length)
  }
  await api.finishLogRestore()
  options.onFinished?.(total)
  return total
}

/**
 * `copyBack` (if `wanted` says so), for a window that starts or reconnects: false when it failed, which is said, and
 * main asks again at the next start.
 */
export async function tryCopyBack(options: CopyBackOptions, wanted: () => Promise<boolean> = async () => true): Promise<boolean> {
  try {
    if (await wanted()) await copyBack(options)
    return true
  } catch (error) {
    console.warn('[parley] could not give main back its lost messages; it asks again at the next start:', error)
    return false
  }
}
