import OpenAI, { APIError } from 'openai'
import { z } from 'zod'
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { turnText } from './attachment-text'
import type { FinishReason, ProviderConfig, Usage } from '../../../shared'
import { classifyProviderError, guardProviderCall, guardProviderStream, unfinishedAnswer } from './errors'
import { imageRefusal } from './image-refusal'
import { ServerImages } from './server-images'
import { ThinkTags } from './think-tags'
import { openaiChunkBatches, readChunk, type StreamEnd } from './openai-sse'
import type { ClassifyContext } from './errors'
import { sdkClientPolicy } from './provider'
import type { ChatTurnMessage, Provider, ProviderClientOptions, ProviderEvent, ProviderRequest } from './provider'

/** Servers like Ollama, LM Studio and llama.cpp want no key, but the SDK insists on one. */
const noKey = 'not-needed'

/** Every OpenAI-compatible server: OpenAI itself, Ollama, LM Studio, llama.cpp, vLLM, OpenRouter. */
export class OpenAIProvider implements Provider {
  readonly id: string
  private readonly client: OpenAI
  private readonly context: ClassifyContext
  private readonly images: ServerImages

  constructor(config: ProviderConfig, apiKey?: string, options: ProviderClientOptions = {}) {
    this.id = config.id
    this.context = { baseUrl: config.baseUrl, secrets: apiKey ? [apiKey] : [] }
    this.images = new ServerImages(config.baseUrl)
    this.client = new OpenAI({
      baseURL: config.baseUrl,
      apiKey: apiKey === undefined || apiKey === '' ? noKey : apiKey,
      // Never pick up an OpenAI organisation or project from the environment and send it to some other server.
      organization: null,
      project: null,
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
        // Read as sent, not through the SDK's page, which takes a 200 without `data` for an empty list.
        const response = await this.client.models.list({ signal }).asResponse()
        return modelIdsOf(await response.json(), response.headers)
      },
      signal
    )
  }

  private async *events(asked: ProviderRequest, signal: AbortSignal): AsyncGenerator<ProviderEvent> {
    // Each image as the server reads it: a GIF or WebP going to a server on this machine or network is sent as PNG.
    const { request, images } = await this.images.forServer(asked)
    if (signal.aborted) return
    // The SDK makes the request (its errors, headers and retries policy); the stream is read by openaiChunkBatches.
    let response: Response
    try {
      response = await this.client.chat.completions
        .create(
          {
            model: request.model,
            messages: toMessages(request),
            stream: true,
            stream_options: { include_usage: true },
            ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
            ...(request.temperature === undefined ? {} : { temperature: request.temperature })
          },
          { signal }
        )
        .asResponse()
    } catch (error) {
      // A server that could not read an image says so in its words; the failure names the file.
      throw (images.length > 0 && !signal.aborted ? imageRefusal(classifyProviderError(error, this.context), images) : undefined) ?? error
    }
    let usage: Usage | undefined
    let finish: FinishReason | undefined
    // A reasoning model served without a reasoning parser puts its thinking in the text, in <think> tags.
    const think = new ThinkTags()
    const end: StreamEnd = { done: false }
    for await (const batch of openaiChunkBatches(response, signal, end)) {
      // One read's text (and reasoning) in as few events as their order allows: runs of one kind are joined.
      let kind: 'text' | 'reasoning' | undefined
      let run = ''
      const pieces: ProviderEvent[] = []
      const add = (next: 'text' | 'reasoning', text: string): void => {
        if (text === '') return
        if (kind === next) {
          run += text
          return
        }
        if (kind !== undefined) pieces.push({ type: kind, text: run })
        kind = next
        run = text
      }
      for (const chunk of batch) {
        const says = readChunk(chunk)
        if (says.usage) usage = { inputTokens: says.usage.prompt_tokens, outputTokens: says.usage.completion_tokens }
        add('reasoning', says.reasoning)
        for (const piece of think.take(says.text)) {
          if (piece.kind !== 'text-was-reasoning') {
            add(piece.kind, piece.text)
            continue
          }
          if (kind !== undefined) pieces.push({ type: kind, text: run })
          kind = undefined
          run = ''
          pieces.push({ type: 'text-was-reasoning' })
        }
        if (says.finishReason) finish = openaiFinishReason(says.finishReason)
      }
      if (kind !== undefined) pieces.push({ type: kind, text: run })
      yield* pieces
    }
    if (signal.aborted) return
    // C5: neither a finish reason nor [DONE]: cut short (every server checked sends at least one at a whole answer's
    // end: llama.cpp, vLLM, LM Studio, Ollama and KoboldCpp both, ik_llama.cpp a finish reason without [DONE]).
    if (finish === undefined && !end.done) throw unfinishedAnswer()
    for (const piece of think.end()) yield piece.kind === 'text-was-reasoning' ? { type: piece.kind } : { type: piece.kind, text: piece.text }
    if (usage !== undefined) yield { type: 'usage', usage }
    yield { type: 'finish', reason: finish ?? 'unknown' }
  }
}

/** A model list: OpenAI's `data` (which Ollama with nothing pulled sends as `null`), or an `error` sent with a 200. */
const modelListSchema = z.object({
  data: z.array(z.unknown()).nullish().catch(undefined),
  error: z.unknown().optional()
})

/**
 * The model ids a `GET /models` answered (entries without a string `id` left out, as the SDK's page would give none).
 * A 200 whose body says `error` and lists nothing is a refusal in the server's words, thrown as the SDK's `APIError`:
 * LM Studio answers a path it has no route for so (`{"error":"Unexpected endpoint or method. (GET /models)"}`, at its
 * address without `/v1`), which read as a list was a server with no models.
 */
function modelIdsOf(body: unknown, headers: Headers): string[] {
  const list = modelListSchema.safeParse(body)
  const data = list.success ? (list.data.data ?? []) : []
  const error = list.success ? list.data.error : undefined
  if (error && data.length === 0) throw new APIError(undefined, error, undefined, headers)
  return data.flatMap((model) => (typeof model === 'object' && model !== null && 'id' in model && typeof model.id === 'string' ? [model.id] : []))
}

function toMessages(request: ProviderRequest): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = []
  if (request.system !== undefined && request.system !== '') messages.push({ role: 'system', content: request.system })
  for (const message of request.messages) {
    if (message.role === 'user' && message.attachments?.length) messages.push({ role: 'user', content: userParts(message) })
    else messages.push({ role: message.role, content: message.content })
  }
  return messages
}

/**
 * Issue 14: a user turn with files is content parts: one `text` part (text files fenced with their names, PDFs as
 * their text page by page, then the prompt), and an `image_url` part per image, a data URL of exactly its bytes.
 */
function userParts(message: ChatTurnMessage): ChatCompletionContentPart[] {
  const parts: ChatCompletionContentPart[] = []
  const text = turnText(message, { pdfAsText: true })
  if (text !== '') parts.push({ type: 'text', text })
  for (const attachment of message.attachments ?? []) {
    if (attachment.kind !== 'image') continue
    parts.push({ type: 'image_url', image_url: { url: `data:${attachment.ref.mimeType};base64,${attachment.bytes.toString('base64')}` } })
  }
  return parts
}

export function openaiFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'stop':
      return 'end_turn'
    case 'length':
      return 'max_tokens'
    case 'tool_calls':
    case 'function_call':
      return 'tool_use'
    case 'content_filter':
      return 'content_filter'
    default:
      return 'unknown'
  }
}
