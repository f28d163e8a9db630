import type { ArchivedChat, ImportResult, Message } from '../../../shared'
import type { HistoryPort } from './ports'
import { addArchivedSession, type ChatImportOptions } from './chat-import'

/** The run id a message put back from a window's copy carries: none of this main's runs wrote it. */
export const restoredRunId = (chatId: string): string => `restore:${chatId}`.slice(0, 128)

/**
 * Puts back into main's history what a window's copy has and main's replaced log lost (`restoreLog`). Each message
 * main lacks (by id) is published as a finished `message.created`, parents first, as the copy orders them; a chat main
 * lacks is added first; a chat whose branch main lost (no leaf, or one it no longer has) gets the copy's back. Main's
 * own is never changed: a message it has, or one whose parent it holds in another chat, is left out. Nothing is run.
 */
export function restoreChats(options: ChatImportOptions & { history: Pick<HistoryPort, 'place' | 'leaf'> }, chats: readonly ArchivedChat[]): ImportResult {
  const result: ImportResult = { imported: 0, skipped: 0, messages: 0 }
  const { broker, history } = options
  const inChat = (chatId: string, messageId: string): boolean => history.place(messageId)?.sessionId === chatId
  for (const chat of chats) {
    if (options.sessions.has(chat.id)) result.skipped += 1
    else {
      addArchivedSession(options, chat)
      result.imported += 1
    }
    const runId = restoredRunId(chat.id)
    for (const { parentId, ...archived } of chat.messages) {
      if (history.place(archived.id) !== undefined) continue
      if (parentId !== null && !inChat(chat.id, parentId)) continue
      const message: Message = { ...archived, sessionId: chat.id, runId, status: 'finished', parentId }
      broker.publish({ type: 'message.created', message })
      result.messages += 1
    }
    const leaf = history.leaf(chat.id)
    const leafLost = leaf === null || !inChat(chat.id, leaf)
    if (leafLost && chat.leafId !== null && inChat(chat.id, chat.leafId)) broker.publish({ type: 'session.branch', sessionId: chat.id, leafId: chat.leafId })
  }
  return result
}
