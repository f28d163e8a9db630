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

/** How long an import publishes before it lets main's other work run (a call answered, an answer streaming). */
export const importSliceMs = 8

/** One turn of main's event loop: what waits for I/O runs, and the journal and the log write what was published. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Adds an archive's chats (already read with `readArchive`) to main's history. A chat whose id main has is left as it
 * is ("twice adds nothing"). Before anything is published, every message of the new chats is checked against history:
 * an id that is already another chat's message refuses the whole archive (`ArchiveInvalid`, naming each one).
 *
 * Then each new chat is published as main publishes anything: `session.created`, a `message.created` (finished, with
 * its parent) for each message, parents first, and `session.branch` for its leaf. The session log and every window's
 * IndexedDB follow through the normal path; no run is started and no RunComplete is sent. Each chat is published in one
 * synchronous pass (the journal and the log write it in one group), and every `importSliceMs` the import lets main's
 * other work run: a 1 MB batch of chats held main's thread 200–400 ms in one piece, every call and every answer
 * streaming meanwhile waited. A chat added meanwhile (the caller keeps imports one at a time; a window's copy given
 * back is the other way in) is skipped, or refuses the rest if one of its messages is now another chat's.
 */
export async function importChats(
  options: ChatImportOptions,
  archive: ChatArchive,
  pause: () => Promise<void> = nextTurn,
  sliceMs = importSliceMs
): Promise<ImportResult> {
  const fresh = archive.chats.flatMap((chat, index) => (options.sessions.has(chat.id) ? [] : [{ chat, index }]))
  const problems = clashes(options, fresh)
  if (problems.length > 0) throw new ParleyError('ArchiveInvalid', archiveRefusal(problems))
  let imported = 0
  let messages = 0
  let sliceStart = performance.now()
  for (const [at, entry] of fresh.entries()) {
    const paused = at > 0 && performance.now() - sliceStart >= sliceMs
    if (paused) {
      await pause()
      sliceStart = performance.now()
    }
    // A chat main got meanwhile (while paused, or the same chat earlier in this archive) is left as it is.
    const { chat } = entry
    if (options.sessions.has(chat.id)) continue
    const clash = paused ? clashes(options, [entry]) : []
    if (clash.length > 0) throw new ParleyError('ArchiveInvalid', archiveRefusal([...clash, `${imported} chats before it were imported`]))
    addArchivedSession(options, chat)
    const runId = importedRunId(chat.id)
    for (const archived of chat.messages) {
      const { parentId, ...rest } = archived
      const message: Message = { ...rest, sessionId: chat.id, runId, status: 'finished', parentId }
      options.broker.publish({ type: 'message.created', message })
    }
    if (chat.leafId !== null) options.broker.publish({ type: 'session.branch', sessionId: chat.id, leafId: chat.leafId })
    imported += 1
    messages += chat.messages.length
  }
  return { imported, skipped: archive.chats.length - imported, messages }
}

/** The messages of these chats whose ids are already another chat's (at most 20 named). */
function clashes(options: ChatImportOptions, chats: readonly { chat: ArchivedChat; index: number }[]): string[] {
  const problems: string[] = []
  for (const { chat, index } of chats) {
    chat.messages.forEach((message, position) => {
      if (problems.length < 20 && options.history.place(message.id)) {
        problems.push(`chats[${index}].messages[${position}].id: message id ${message.id} is already in another chat`)
      }
    })
  }
  return problems
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
