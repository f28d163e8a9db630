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

/** The prompt a run was sent with: the text of its user message, wherever it sits in the chat. */
export async function promptOfRun(db: ParleyDatabase, runId: string): Promise<string | undefined> {
  const rows = await db.messages.where('runId').equals(runId).toArray()
  const user = rows.find((row) => row.role === 'user')
  return user ? messageText(user) : undefined
}

/**
 * Retry: the same prompt again, as a new run (a new runId) at the tail of the same chat's queue. The failed answer
 * stays where it is, so the chat still shows what happened.
 */
export async function retryRun(
  deps: SendPromptDeps & { db: ParleyDatabase },
  message: Pick<Message, 'sessionId' | 'runId'>
): Promise<SendOutcome> {
  let prompt: string | undefined
  try {
    prompt = await promptOfRun(deps.db, message.runId)
  } catch {
    prompt = undefined
  }
  if (prompt === undefined || !prompt.trim()) {
    return { ok: false, sessionId: message.sessionId, error: "its prompt is not in this chat's history" }
  }
  return sendPrompt(deps, { sessionId: message.sessionId, prompt })
}
