import { messageText, type DataRecovery, type Message, type Session } from '../../../shared'
import type { SessionDirectory } from '../agent/session-directory'

/** What the log knows of one chat: its first message and when its newest was written. */
export interface ChatInLog {
  sessionId: string
  first: Pick<Message, 'role' | 'parts' | 'createdAt'>
  lastAt: number
}

const titleChars = 60

/** A chat rebuilt from its messages: titled by its first prompt, as a fallback title (rule E3: a model may retitle it). */
export function chatFromLog(chat: ChatInLog): Session {
  const prompt = chat.first.role === 'user' ? messageText(chat.first) : ''
  const words = prompt.replace(/\s+/g, ' ').trim()
  const cut = words.slice(0, titleChars - 1)
  const space = cut.lastIndexOf(' ')
  const title = words.length > titleChars ? `${(space > titleChars / 2 ? cut.slice(0, space) : cut).trimEnd()}…` : words || 'Recovered chat'
  return { id: chat.sessionId, title, titleSource: 'fallback', createdAt: chat.first.createdAt, updatedAt: chat.lastAt }
}

/**
 * After a damaged sessions.json, the chats it lost whose messages are in the session log come back: added to the
 * directory (so their prompts are accepted again) and to what the banner says. Answers how many came back.
 */
export function rebuildLostChats(chats: Iterable<ChatInLog>, directory: SessionDirectory, recovery: DataRecovery): number {
  let rebuilt = 0
  for (const chat of chats) {
    if (directory.has(chat.sessionId)) continue
    directory.add(chatFromLog(chat), true)
    rebuilt += 1
  }
  // What the banner counts as kept: every chat main has now (the journal's unacknowledged chat events came back too).
  recovery.kept = directory.size
  if (rebuilt > 0) {
    recovery.lost = Math.max(0, recovery.lost - rebuilt)
    recovery.reason += `; ${rebuilt} ${rebuilt === 1 ? 'chat was rebuilt from its messages, titled by its' : 'chats were rebuilt from their messages, titled by their'} first prompt`
  }
  return rebuilt
}
