import { messageText, type AttachmentRef, type Message, type ModelRef, type SessionOptions } from '../../../shared'
import type { LoadedAttachment } from '../attachments/attachment-store'
import type { ChatTurnMessage, ProviderRequest } from '../providers/provider'

/** A rough, provider-independent token estimate: about four characters a token, plus framing per message. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 4
}

/**
 * What an attachment costs in the context, from its ref alone (so trimming never reads a file): an image about what
 * providers charge for a large one (Anthropic's ~1,600 tokens); a text file its characters / 4; a PDF its bytes / 8
 * (a PDF's text is a fraction of its bytes; the estimate errs towards keeping less history).
 */
export function attachmentTokens(ref: AttachmentRef): number {
  if (ref.kind === 'image') return 1600
  if (ref.kind === 'text') return Math.ceil(ref.size / 4) + 16
  return Math.ceil(ref.size / 8) + 16
}

/** A message's estimate: its text and its attachments. */
export function messageTokens(message: Message): number {
  return estimateTokens(messageText(message)) + (message.attachments ?? []).reduce((sum, ref) => sum + attachmentTokens(ref), 0)
}

function turnTokens(turn: ChatTurnMessage): number {
  return estimateTokens(turn.content) + (turn.attachments ?? []).reduce((sum, a) => sum + attachmentTokens(a.ref), 0)
}

/** Whether a message says anything: text, or (a user message) attachments. */
function hasContent(message: Message): boolean {
  return messageText(message).trim() !== '' || (message.role === 'user' && (message.attachments?.length ?? 0) > 0)
}

/** The attachments a history's messages use, each once: what a turn loads before it builds its request. */
export function attachmentRefsOf(history: readonly Message[]): AttachmentRef[] {
  const byId = new Map<string, AttachmentRef>()
  for (const message of history) for (const ref of message.attachments ?? []) if (!byId.has(ref.id)) byId.set(ref.id, ref)
  return [...byId.values()]
}

/**
 * The turns a request carries, from history ending with the new user message (rule H2): an earlier user message
 * counts only if its turn produced an answer with text; one that failed, or was cancelled before the first token, is
 * left out, never joined to its neighbour (joined, a prompt the server refused would poison every later turn).
 * Answers with no text are left out too. So user and assistant alternate, as Anthropic requires.
 */
export function conversationTurns(
  history: readonly Message[],
  loaded: ReadonlyMap<string, LoadedAttachment> = new Map()
): ChatTurnMessage[] {
  const turns: ChatTurnMessage[] = []
  history.forEach((message, index) => {
    const content = messageText(message)
    if (!hasContent(message)) return
    if (message.role === 'user') {
      const next = history[index + 1]
      const isNew = index === history.length - 1
      if (!isNew && (next?.role !== 'assistant' || !messageText(next).trim())) return
    } else if (turns.at(-1)?.role !== 'user') {
      return
    }
    const attachments = message.role === 'user' ? (message.attachments ?? []).flatMap((ref) => loadedAs(loaded, ref)) : []
    turns.push(attachments.length > 0 ? { role: message.role, content, attachments } : { role: message.role, content })
  })
  return turns
}

/** A ref's loaded content, under the name this message gave it (the store keeps the first name it saw). */
function loadedAs(loaded: ReadonlyMap<string, LoadedAttachment>, ref: AttachmentRef): LoadedAttachment[] {
  const found = loaded.get(ref.id)
  return found ? [{ ...found, ref: { ...found.ref, name: ref.name } }] : []
}

/**
 * Builds the request for a turn from the system prompt and the history, which already ends with the turn's user
 * message (rule B2): the conversation's turns (H2), and the oldest dropped while the context window would overflow.
 * The newest user message is always kept: if it alone is too long, the provider says so and the turn fails with that
 * error.
 */
export function buildRequest(
  options: TurnOptions & { history: Message[]; attachments?: ReadonlyMap<string, LoadedAttachment> }
): ProviderRequest {
  const turns = conversationTurns(options.history, options.attachments)

  const budget = contextBudget(options)
  let used = turns.reduce((sum, turn) => sum + turnTokens(turn), 0)
  let first = 0
  while (first < turns.length - 1 && used > budget) {
    used -= turnTokens(turns[first] as ChatTurnMessage)
    first += 1
  }
  // A conversation sent to a model starts with the user.
  while (first < turns.length - 1 && turns[first]?.role !== 'user') first += 1

  const request: ProviderRequest = {
    model: options.model.model,
    messages: turns.slice(first),
    maxTokens: options.model.maxOutputTokens
  }
  if (options.system) request.system = options.system
  if (options.temperature !== undefined) request.temperature = options.temperature
  return request
}

/** What a turn's request is built with, besides the history. */
export interface TurnOptions {
  system: string
  model: ModelRef
  /** Absent: the server's own default. */
  temperature?: number
}

/**
 * The chat's own options over the settings' defaults: its system prompt (even an empty one) replaces the settings'
 * one, its max tokens replace the model's answer room, and its temperature is sent when it has one.
 */
export function turnOptions(defaults: { systemPrompt: string }, chat: SessionOptions | undefined, model: ModelRef): TurnOptions {
  const options: TurnOptions = {
    system: chat?.systemPrompt ?? defaults.systemPrompt,
    model: chat?.maxTokens === undefined ? model : { ...model, maxOutputTokens: chat.maxTokens }
  }
  if (chat?.temperature !== undefined) options.temperature = chat.temperature
  return options
}

/** The tokens a request's conversation may use: the context window, less the answer's room and the system prompt. */
export function contextBudget(options: { system: string; model: ModelRef }): number {
  return options.model.contextWindow - options.model.maxOutputTokens - (options.system ? estimateTokens(options.system) : 0)
}

/**
 * Whether history read newest first already holds everything `buildRequest` would keep, so reading older messages
 * cannot change the request (rule H4: a turn reads as far as its context, not the whole chat).
 *
 * It holds once the oldest message read is a user message that `conversationTurns` keeps (it has text, and the
 * message after it is an answer with text, or it is the new prompt), and the turns from it on overflow the budget.
 * From a kept user message on, the turns are the same whatever came before it (H2 looks only at the next message,
 * and an answer only at the turn before it), and since they already overflow, `buildRequest` drops everything older.
 */
export function contextIsFull(newestFirst: readonly Message[], budget: number): boolean {
  let bound = 0
  for (const message of newestFirst) {
    bound += messageTokens(message)
    if (bound > budget) break
  }
  return bound > budget && keptTurnsOverflow(newestFirst, budget)
}

/**
 * `contextIsFull` for a read that grows one message at a time (the session log's `enough`), in O(1) a message: it
 * keeps the tokens of the turns `conversationTurns` would keep from the oldest message read on. Taking in an older
 * message changes what is kept only for it and the message just newer: a user message is kept when the answer after
 * it has text, and that answer, which had no turn before it, is kept with it. Anything newer is decided as before (a
 * user message looks only at the next message, and an answer is kept only after a kept user message, which the
 * answer before it never was nor is). `contextIsFull` is the whole computation, and the tests hold the two equal.
 */
export function contextFills(budget: number): (newestFirst: readonly Message[]) => boolean {
  let counted = 0
  let kept = 0
  let oldestKept = false
  return (newestFirst) => {
    if (newestFirst.length < counted) {
      counted = kept = 0
      oldestKept = false
    }
    for (; counted < newestFirst.length; counted++) {
      const message = newestFirst[counted] as Message
      const newer = counted > 0 ? (newestFirst[counted - 1] as Message) : undefined
      oldestKept = isKeptUser(message, newer)
      if (oldestKept) kept += messageTokens(message) + (newer ? estimateTokens(messageText(newer)) : 0)
    }
    return oldestKept && kept > budget
  }
}

/** A user message `conversationTurns` keeps, given the message after it (none: it is the new prompt). */
function isKeptUser(message: Message, newer: Message | undefined): boolean {
  if (message.role !== 'user' || !hasContent(message)) return false
  return newer === undefined || (newer.role === 'assistant' && messageText(newer).trim() !== '')
}

/** The oldest message read is a user message `conversationTurns` keeps, and the turns from it on overflow. */
function keptTurnsOverflow(newestFirst: readonly Message[], budget: number): boolean {
  const oldest = newestFirst.at(-1)
  if (!oldest || !isKeptUser(oldest, newestFirst.at(-2))) return false
  const history = [...newestFirst].reverse()
  // Counted from the refs alone: stand-ins with no content, so nothing is read from disk to decide.
  const standIns = new Map<string, LoadedAttachment>(
    attachmentRefsOf(history).map((ref) => [ref.id, { kind: 'text', ref, text: '' }])
  )
  const turns = conversationTurns(history, standIns)
  return turns.reduce((sum, turn) => sum + turnTokens(turn), 0) > budget
}
