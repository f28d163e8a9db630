import type { FinishReason, ProviderErrorKind, Usage } from '../../../shared'
import type { LoadedAttachment } from '../attachments/attachment-store'

/** One turn of the conversation; a user turn may carry attachments (issue 14), each adapter sends them its way. */
export interface ChatTurnMessage {
  role: 'user' | 'assistant'
  content: string
  /** A user turn's files, loaded from main's data folder (absent: none). */
  attachments?: readonly LoadedAttachment[]
}

/** What the agent asks a provider for: one streamed answer. */
export interface ProviderRequest {
  model: string
  system?: string
  messages: ChatTurnMessage[]
  maxTokens?: number
  /** The chat's temperature; absent, the server's default. */
  temperature?: number
}

export type ProviderEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** Everything streamed as text so far was the model's thinking (a `</think>` with no `<think>`: think-tags.ts). */
  | { type: 'text-was-reasoning' }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason }

/**
 * One interface for every model server. `stream` throws a ProviderError (see errors.ts) for every failure except
 * an abort through `signal`, which ends the iteration quietly or throws an AbortError; the agent tells the two apart
 * by `signal.aborted`.
 */
export interface Provider {
  readonly id: string
  stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent>
  listModels(signal?: AbortSignal): Promise<string[]>
}

export interface ProviderErrorInit {
  kind: ProviderErrorKind
  message: string
  status?: number
  retryAfterMs?: number
  cause?: unknown
  /** The server's address, so "couldn't reach" can say where. */
  baseUrl?: string
}

/** How an adapter builds its SDK client. */
export interface ProviderClientOptions {
  /**
   * How long to wait for the response headers. It does not limit a stream once it has started. Generous by
   * default, because a local server may load the model from disk before it answers.
   */
  timeoutMs?: number
  /** What makes the requests: the global `fetch` unless given (a test serves an answer from memory). */
  fetch?: typeof fetch
}

export const defaultProviderTimeoutMs = 5 * 60_000

/** What both SDK clients are told, whichever the provider: Parley's policy, not the SDKs' defaults. */
export function sdkClientPolicy(options: ProviderClientOptions) {
  return {
    // Retries are the agent's decision (rule C4), so the SDK makes exactly one attempt.
    maxRetries: 0,
    timeout: options.timeoutMs ?? defaultProviderTimeoutMs,
    dangerouslyAllowBrowser: false,
    // Failures reach the caller as ProviderErrors with the details; the SDK's own console logging is noise.
    logLevel: 'off' as const,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch })
  }
}
