import type { ArchivedChat, ImportResult, ParleyApi } from '../../../shared'
import { exportChat } from '../transfer/chat-export'
import { importBatchChars } from '../transfer/chat-import'
import type { ParleyDatabase } from './schema'

export interface CopyBackOptions {
  api: Pick<ParleyApi, 'restoreLog' | 'finishLogRestore'>
  db: ParleyDatabase
  /** Chats sent so far, of all this window holds. */
  onProgress?: (done: number, total: number) => void
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
  const total: ImportResult = { imported: 0, skipped: 0, messages: 0 }
  const maxChars = options.maxChars ?? importBatchChars
  let batch: ArchivedChat[] = []
  let chars = 0
  let done = 0
  const send = async (): Promise<void> => {
    if (batch.length === 0) return
    const result = await api.restoreLog({ chats: batch })
    total.imported += result.imported
    total.skipped += result.skipped
    total.messages += result.messages
    done += batch.length
    options.onProgress?.(done, ids.length)
    batch = []
    chars = 0
  }
  for (const id of ids) {
    const chat = await exportChat(db, id)
    if (!chat) continue
    const size = JSON.stringify(chat).length
    if (batch.length > 0 && chars + size > maxChars) await send()
    batch.push(chat)
    chars += size
  }
  await send()
  await api.finishLogRestore()
  return total
}
