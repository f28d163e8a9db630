import { archiveRefusal, ParleyError, type ArchivedChat, type ChatArchive, type ImportResult, type Message, type Session } from '../../../shared'
import type { EventBroker } from '../events/event-broker'
import type { HistoryPort } from './ports'
import type { SessionDirectory } from './session-directory'

export interface ChatImportOptions {
  broker: Pick<EventBroker, 'publish'>
  sessions: SessionDirectory
  history: Pick<HistoryPort, 'place'>
}

/** The run id an imported message carries: none of Parley's runs wrote it, and none ever will run it. */
export const importedRunId = (chatId: string): string => `import:${chatId}`.slice(0, 128)

/**
 * Adds an archive's chats (already read with `readArchive`) to main's history. A chat whose id main has is left as it
 * is ("twice adds nothing"). Before anything is published, every message of the new chats is checked against history:
 * an id that is already another chat's message refuses the whole archive (`ArchiveInvalid`, naming each one).
 *
 * Then each new chat is published as main publishes anything: `session.created`, a `message.created` (finished, with
 * its parent) for each message, parents first, and `session.branch` for its leaf. The session log and every window's
 * IndexedDB follow through the normal path; no run is started and no RunComplete is sent. Everything is published in
 * one synchronous pass, so the log writes one import in one batch.
 */
export function importChats(options: ChatImportOptions, archive: ChatArchive): ImportResult {
  const fresh = archive.chats.flatMap((chat, index) => (options.sessions.has(chat.id) ? [] : [{ chat, index }]))
  const problems: string[] = []
  for (const { chat, index } of fresh) {
    chat.messages.forEach((message, position) => {
      if (problems.length < 20 && options.history.place(message.id)) {
        problems.push(`chats[${index}].messages[${position}].id: message id ${message.id} is already in another chat`)
      }
    })
  }
  if (problems.length > 0) throw new ParleyError('ArchiveInvalid', archiveRefusal(problems))
  let messages = 0
  for (const { chat } of fresh) {
    addArchivedSession(options, chat)
    const runId = importedRunId(chat.id)
    for (const archived of chat.messages) {
      const { parentId, ...rest } = archived
      const message: Message = { ...rest, sessionId: chat.id, runId, status: 'finished', parentId }
      options.broker.publish({ type: 'message.created', message })
    }
    if (chat.leafId !== null) options.broker.publish({ type: 'session.branch', sessionId: chat.id, leafId: chat.leafId })
    messages += chat.messages.length
  }
  return { imported: fresh.length, skipped: archive.chats.length - fresh.length, messages }
}

/** Adds an archived chat (no messages yet) to main's chats and publishes it, as a chat read back at start. */
export function addArchivedSession(options: Pick<ChatImportOptions, 'broker' | 'sessions'>, chat: ArchivedChat): void {
  const session: Session = {
    id: chat.id,
    title: chat.title,
    ...(chat.title !== null && chat.titleSource ? { titleSource: chat.titleSource } : {}),
    createdAt: chat.createdAt,
    updatedAt: chat.updatedAt
  }
  // Like a chat read back at start: one without a title gets one at its next prompt (E1).
  options.sessions.add(session, session.title !== null)
  options.broker.publish({ type: 'session.created', session })
}
