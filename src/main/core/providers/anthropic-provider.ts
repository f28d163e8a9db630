import Anthropic from '@anthropic-ai/sdk'
import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages'
import { turnText } from './attachment-text'
import type { FinishReason, ProviderConfig, Usage } from '../../../shared'
import { guardProviderCall, guardProviderStream, unfinishedAnswer } from './errors'
import { LoopBreath } from './loop-breath'
import type { ClassifyContext } from './errors'
import { sdkClientPolicy } from './provider'
import type { ChatTurnMessage, Provider, ProviderClientOptions, ProviderEvent, ProviderRequest } from './provider'

/** Anthropic requires max_tokens on every request. */
export const defaultAnthropicMaxTokens = 2048

/**
 * Sent when no key is set, so the SDK doesn't go looking for credentials in the environment or in profile files,
 * and the server's 401 names the problem.
 */
const noKey = 'not-set'

export class AnthropicProvider implements Provider {
  readonly id: string
  private readonly client: Anthropic
  private readonly context: ClassifyContext

  constructor(config: ProviderConfig, apiKey?: string, options: ProviderClientOptions = {}) {
    this.id = config.id
    this.context = { baseUrl: config.baseUrl, secrets: apiKey ? [apiKey] : [] }
    this.client = new Anthropic({
      baseURL: sdkBaseUrl(config.baseUrl),
      apiKey: apiKey === undefined || apiKey === '' ? noKey : apiKey,
      ...sdkClientPolicy(options)
    })
  }

  stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    return guardProviderStream(signal, this.context, () => this.events(request, signal))
  }

  listModels(signal?: AbortSignal): Promise<string[]> {
    return guardProviderCall(
      this.context,
      async () => {
        const ids: string[] = []
        for await (const model of this.client.models.list({}, { signal })) ids.push(model.id)
        return ids
      },
      signal
    )
  }

  private async *events(request: ProviderRequest, signal: AbortSignal): AsyncGenerator<ProviderEvent> {
    const stream = await this.client.messages.create(
      {
        model: request.model,
        max_tokens: request.maxTokens ?? defaultAnthropicMaxTokens,
        messages: request.messages.map((message) => toMessage(message, request.model)),
        ...(request.system === undefined || request.system === '' ? {} : { system: request.system }),
        // Anthropic takes 0–1 where OpenAI takes 0–2: a chat's 1.5 is sent as Anthropic's hottest, 1.
        ...(request.temperature === undefined ? {} : { temperature: Math.min(1, request.temperature) }),
        stream: true
      },
      { signal }
    )
    let usage: Usage | undefined
    let finish: FinishReason | undefined
    let stopped = false
    const breath = new LoopBreath()
    for await (const event of stream) {
      // A burst read from fetch's buffer never waits: the loop turns, and what the answer published goes out.
      const pause = breath.due()
      if (pause) await pause
      switch (event.type) {
        case 'message_stop':
          stopped = true
          break
        case 'message_start': {
          const u = event.message.usage
          usage = { inputTokens: inputTokensOf(u), outputTokens: u.output_tokens }
          break
        }
        case 'content_block_delta':
          if (event.delta.type === 'text_delta' && event.delta.text !== '') yield { type: 'text', text: event.delta.text }
          if (event.delta.type === 'thinking_delta' && event.delta.thinking !== '') {
            yield { type: 'reasoning', text: event.delta.thinking }
          }
          break
        case 'message_delta': {
          // message_delta's counts are cumulative; its input count, when present, supersedes message_start's.
          const u = event.usage
          usage = {
            inputTokens: u.input_tokens == null ? (usage?.inputTokens ?? 0) : inputTokensOf(u),
            outputTokens: u.output_tokens
          }
          if (event.delta.stop_reason) finish = anthropicFinishReason(event.delta.stop_reason)
          break
        }
        default:
          break
      }
    }
    if (signal.aborted) return
    // C5: no stop reason and no message_stop: the stream was cut short (Ollama's Anthropic layer, errors.ts).
    if (finish === undefined && !stopped) throw unfinishedAnswer()
    // Usage settles with message_delta; yielding it and the finish after the stream keeps the finish last.
    if (usage !== undefined) yield { type: 'usage', usage }
    yield { type: 'finish', reason: finish ?? 'unknown' }
  }
}

function toMessage(message: ChatTurnMessage, model: string): MessageParam {
  if (message.role !== 'user' || !message.attachments?.length) return { role: message.role, content: message.content }
  return { role: 'user', content: userBlocks(message, supportsPdfDocuments(model)) }
}

/**
 * Issue 14: images as `image` blocks (base64), PDFs as `document` blocks where the model reads them (else as their
 * text), first, as Anthropic advises; then one text block: text files fenced with their names, then the prompt.
 */
function userBlocks(message: ChatTurnMessage, documents: boolean): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = []
  for (const attachment of message.attachments ?? []) {
    if (attachment.kind === 'image') {
      const mediaType = attachment.ref.mimeType as 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'
      blocks.push({ type: 'image', source: { type: 'base64', media_type: mediaType, data: attachment.bytes.toString('base64') } })
    } else if (attachment.kind === 'pdf' && documents) {
      blocks.push({
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: attachment.bytes.toString('base64') },
        title: attachment.ref.name
      })
    }
  }
  const text = turnText(message, { pdfAsText: !documents })
  if (text !== '') blocks.push({ type: 'text', text })
  return blocks
}

/**
 * Which Claude models take a PDF as a `document` block: Claude 3.5 and later (Claude 3 Opus, Sonnet and Haiku, and
 * older models, get its text). A model name Parley doesn't recognise as Claude gets the text too.
 */
export function supportsPdfDocuments(model: string): boolean {
  if (!/^claude-/i.test(model)) return false
  return !/^claude-(2|instant|3-(opus|sonnet|haiku))/i.test(model)
}

/**
 * The SDK adds `/v1/messages` itself, so a base URL typed with `/v1` (as OpenAI-style URLs are) would double it.
 */
function sdkBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/v1\/?$/, '')
}

/** Cached prompt tokens are still tokens the model read; the context-window arithmetic needs them all. */
function inputTokensOf(u: {
  input_tokens?: number | null
  cache_creation_input_tokens?: number | null
  cache_read_input_tokens?: number | null
}): number {
  return (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0)
}

export function anthropicFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'end_turn'
    case 'max_tokens':
    // The answer was cut off by the context window rather than the max_tokens setting, but it was cut off.
    case 'model_context_window_exceeded':
      return 'max_tokens'
    case 'tool_use':
      return 'tool_use'
    case 'refusal':
      return 'content_filter'
    default:
      return 'unknown'
  }
}
