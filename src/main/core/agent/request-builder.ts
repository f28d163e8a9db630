import { messageText, type Message, type ModelRef } from '../../../shared'
import type { ChatTurnMessage, ProviderRequest } from '../providers/provider'

/** A rough, provider-independent token estimate: about four characters a token, plus framing per message. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 4
}

/**
 * Builds the request for a turn from the system prompt and the history, which already ends with the turn's user
 * message (rule B2). Empty answers are left out, neighbours with the same role are joined (Anthropic requires
 * alternation), and the oldest messages are dropped while the context window would overflow. The newest user message
 * is always kept: if it alone is too long, the provider says so and the turn fails with that error.
 */
export function buildRequest(options: { system: string; history: Message[]; model: ModelRef }): ProviderRequest {
  const turns: ChatTurnMessage[] = []
  for (const message of options.history) {
    const content = messageText(message)
    if (!content.trim()) continue
    const last = turns[turns.length - 1]
    if (last && last.role === message.role) last.content += `\n\n${content}`
    else turns.push({ role: message.role, content })
  }

  const budget =
    options.model.contextWindow - options.model.maxOutputTokens - (options.system ? estimateTokens(options.system) : 0)
  let used = turns.reduce((sum, turn) => sum + estimateTokens(turn.content), 0)
  let first = 0
  while (first < turns.length - 1 && used > budget) {
    used -= estimateTokens((turns[first] as ChatTurnMessage).content)
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
  return request
}
