import type { ChatModel, ParleyApi } from '../../../shared'
import { shownModel } from '../chat/head/chat-options'
import type { ParleyDatabase } from '../db/schema'

/** The model a chat's next prompt goes to: the chat's own choice, else the settings' default (as the header shows). */
export async function modelOfChat(
  deps: { api: Pick<ParleyApi, 'getSettings'>; db: Pick<ParleyDatabase, 'sessions'> },
  sessionId: string | undefined
): Promise<ChatModel> {
  const [settings, session] = await Promise.all([deps.api.getSettings(), sessionId ? deps.db.sessions.get(sessionId) : undefined])
  return shownModel(session?.options, settings).model
}
