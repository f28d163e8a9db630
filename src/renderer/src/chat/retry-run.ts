import { messageText, type Message } from '../../../shared'
import { sendPrompt, type SendOutcome, type SendPromptDeps } from '../composer/send-prompt'
import type { ParleyDatabase } from '../db/schema'

/** A finished answer that did not get through: failed (C5), or cut off by a crash or a quit (G2). */
export function canRetry(message: Pick<Message, 'role' | 'status' | 'finishReason'>): boolean {
  return (
    message.role === 'assistant' &&
    message.status === 'finished' &&
    (message.finishReason === 'error' || message.finishReason === 'interrupted')
  )
}

/**
 * The user message an answer answers: its parent (rule H3), or, for answers written before answers named their
 * parent, the user message of the same run.
 */
export async function promptOf(
  db: ParleyDatabase,
  answer: Pick<Message, 'runId' | 'parentId'>
): Promise<Pick<Message, 'id' | 'parts' | 'attachments'> | undefined> {
  if (answer.parentId) {
    const parent = await db.messages.get(answer.parentId)
    if (parent?.role === 'user') return parent
  }
  const rows = await db.messages.where('runId').equals(answer.runId).toArray()
  return rows.find((row) => row.role === 'user')
}

/**
 * Retry: the same user message answered again, as a new run (a new runId) at the tail of the same chat's queue
 * (rule H3). Main writes no second copy of the prompt; the new answer goes beside the failed one, which stays, so
 * the chat still shows what happened.
 */
export async function retryRun(
  deps: SendPromptDeps & { db: ParleyDatabase },
  message: Pick<Message, 'sessionId' | 'runId' | 'parentId'>
): Promise<SendOutcome> {
  let prompt: Pick<Message, 'id' | 'parts' | 'attachments'> | undefined
  try {
    prompt = await promptOf(deps.db, message)
  } catch {
    prompt = undefined
  }
  const text = prompt ? messageText(prompt) : ''
  // A prompt of only attachments is still a prompt: main resends its attachments with it.
  if (!prompt || (!text.trim() && (prompt.attachments ?? []).length === 0)) {
    return { ok: false, sessionId: message.sessionId, error: "its prompt is not in this chat's history" }
  }
  return sendPrompt(deps, { sessionId: message.sessionId, prompt: text, retryOf: prompt.id })
}
