import type { EnqueueResult, ParleyApi } from '../../../shared'
import type { SessionActivity } from '../activity/session-activity'
import { errorText } from '../notices/error-text'

export interface SendPromptDeps {
  api: Pick<ParleyApi, 'createSession' | 'enqueue'>
  activity: Pick<SessionActivity, 'addPending' | 'enqueued' | 'settle'>
  newRunId?: () => string
}

export type SendOutcome =
  | { ok: true; sessionId: string; result: EnqueueResult }
  | { ok: false; sessionId: string | undefined; error: string }

/**
 * Sends one prompt (architecture.md, "A prompt's path" step 1). The renderer mints the runId, so the prompt shows
 * as a chip, and can be removed, before main has answered. With no session yet, one is created first, and
 * `onSession` hears of it at once so the window can show it.
 */
export async function sendPrompt(
  deps: SendPromptDeps,
  request: { sessionId: string | undefined; prompt: string; onSession?: (sessionId: string) => void }
): Promise<SendOutcome> {
  let sessionId = request.sessionId
  if (!request.prompt.trim()) return { ok: false, sessionId, error: 'Write a prompt first.' }
  try {
    if (!sessionId) {
      sessionId = (await deps.api.createSession({})).id
      request.onSession?.(sessionId)
    }
  } catch (error) {
    return { ok: false, sessionId, error: errorText(error, 'Parley could not start a new chat.') }
  }
  const runId = (deps.newRunId ?? (() => crypto.randomUUID()))()
  deps.activity.addPending(sessionId, { runId, prompt: request.prompt })
  try {
    const result = await deps.api.enqueue({ sessionId, runId, prompt: request.prompt })
    deps.activity.enqueued(result)
    return { ok: true, sessionId, result }
  } catch (error) {
    deps.activity.settle(runId)
    return { ok: false, sessionId, error: errorText(error, 'Parley could not send this prompt.') }
  }
}

/** A refused prompt comes back into the box, ahead of anything typed since, so nothing is lost. */
export function draftAfterRefusal(current: string, refused: string): string {
  if (!current.trim()) return refused
  if (current.startsWith(refused)) return current
  return `${refused}\n${current}`
}
