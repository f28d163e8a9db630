import type { AttachmentRef, EnqueueResult, ParleyApi } from '../../../shared'
import type { SessionActivity } from '../activity/session-activity'
import { errorText } from '../notices/error-text'
import type { PendingDeletes } from '../sessions/pending-deletes'
import type { PromptOrder, PromptPlace } from './prompt-order'

export interface SendPromptDeps {
  api: Pick<ParleyApi, 'createSession' | 'enqueue'>
  activity: Pick<SessionActivity, 'addPending' | 'enqueued' | 'settle'>
  newRunId?: () => string
  /** Makes the chat for a prompt sent with none; without it, each such prompt makes its own. */
  newChat?: Pick<NewChat, 'make'>
  /** Deletions in this chat still within their Undo time: sent before the prompt, so its turn doesn't see them. */
  deletes?: Pick<PendingDeletes, 'commitSession'>
  /** The window's line: this prompt's call goes to main only after the calls of the prompts sent before it (C1). */
  order?: Pick<PromptOrder, 'join'>
}

/**
 * The chat a prompt sent with none goes to, made once, or the one "New chat" is opening (`expect`): prompts sent
 * before main has answered (typed quickly, or over a slow bridge) join that chat, in the order they were sent, instead
 * of making a chat each. The composer forgets it once the window shows a chat, so a later prompt with no chat makes a
 * new one.
 */
export class NewChat {
  private making: Promise<string> | undefined

  constructor(private readonly api: Pick<ParleyApi, 'createSession'>) {}

  make(): Promise<string> {
    return this.making ?? this.coming(this.api.createSession({}).then((session) => session.id))
  }

  /**
   * "New chat" was pressed, and its chat (a new one from main, or the empty one reused) is on its way: prompts sent
   * before the window shows it go there, not to the chat still on screen. Typed at once after Ctrl+N, over a slow
   * bridge, the first prompt went to the old chat.
   */
  expect(chat: Promise<string>): void {
    this.coming(chat)
  }

  private coming(chat: Promise<string>): Promise<string> {
    this.making = chat
    // A refusal is not kept: the next prompt asks again.
    chat.catch(() => {
      if (this.making === chat) this.making = undefined
    })
    return chat
  }

  forget(): void {
    this.making = undefined
  }
}

export type SendOutcome =
  | { ok: true; sessionId: string; result: EnqueueResult }
  | { ok: false; sessionId: string | undefined; error: string }

/**
 * Sends one prompt (architecture.md, "A prompt's path" step 1). The renderer mints the runId, so the prompt shows
 * as a chip, and can be removed, before main has answered. With no session yet, one is created first, and
 * `onSession` hears of it at once so the window can show it.
 */
export async function sendPrompt(deps: SendPromptDeps, request: PromptRequest): Promise<SendOutcome> {
  const attachments = request.attachments ?? []
  // A retry sends no attachments of its own: main resends the user message's.
  if (!request.prompt.trim() && attachments.length === 0 && !request.retryOf) {
    return { ok: false, sessionId: request.sessionId, error: 'Write a prompt first.' }
  }
  const place = deps.order?.join()
  try {
    return await sendInLine(deps, request, attachments, place)
  } finally {
    // Refused before its call went (its chat could not be made): the prompts behind it go on.
    place?.gone()
  }
}

export interface PromptRequest {
  sessionId: string | undefined
  prompt: string
  /** The composer's attachments, as refs main already holds (`putAttachment`); a prompt may be only these. */
  attachments?: readonly AttachmentRef[]
  onSession?: (sessionId: string) => void
  /** Retry (H3): the user message to answer again; main writes no second copy of it. */
  retryOf?: string
  /** Edit (H3): the user message this prompt goes beside, as a new branch. */
  editOf?: string
}

async function sendInLine(
  deps: SendPromptDeps,
  request: PromptRequest,
  attachments: readonly AttachmentRef[],
  place: PromptPlace | undefined
): Promise<SendOutcome> {
  let sessionId = request.sessionId
  try {
    if (!sessionId) {
      sessionId = deps.newChat ? await deps.newChat.make() : (await deps.api.createSession({})).id
      request.onSession?.(sessionId)
    }
  } catch (error) {
    return { ok: false, sessionId, error: errorText(error, 'Parley could not start a new chat.') }
  }
  const runId = (deps.newRunId ?? (() => crypto.randomUUID()))()
  deps.activity.addPending(sessionId, { runId, prompt: request.prompt, ...(attachments.length > 0 ? { attachments: attachments.length } : {}) })
  try {
    const committing = deps.deletes?.commitSession(sessionId)
    if (committing) await committing
    const call = {
      sessionId,
      runId,
      prompt: request.prompt,
      // An edit always says which files it keeps (none, too): without the field main carries the old prompt's over.
      ...(attachments.length > 0 || (request.editOf && request.attachments) ? { attachments: [...attachments] } : {}),
      ...(request.retryOf ? { retryOf: request.retryOf } : {}),
      ...(request.editOf ? { editOf: request.editOf } : {})
    }
    // Behind the prompts sent before this one (their chat still being made, say): the call goes once theirs have.
    if (place) await place.turn
    const sending = deps.api.enqueue(call)
    place?.gone()
    const result = await sending
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
