import {
  AnthropicError,
  APIConnectionError as AnthropicConnectionError,
  APIUserAbortError as AnthropicUserAbortError
} from '@anthropic-ai/sdk'
import {
  OpenAIError,
  APIConnectionError as OpenAIConnectionError,
  APIUserAbortError as OpenAIUserAbortError
} from 'openai'
import type { ProviderErrorKind } from '../../../shared'
import type { ProviderErrorInit } from './provider'
import { redactSecrets } from './redact'

/**
 * A provider failure with a name. `message` holds the provider's own words, or the low-level reason when the server
 * said nothing (it may be empty); `describeProviderError` turns it into the sentence the UI shows.
 */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind
  readonly status?: number
  readonly retryAfterMs?: number
  readonly baseUrl?: string

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'ProviderError'
    this.kind = init.kind
    this.status = init.status
    this.retryAfterMs = init.retryAfterMs
    this.baseUrl = init.baseUrl
  }
}

export interface ClassifyContext {
  /** The server's address, for "couldn't reach …" sentences. */
  baseUrl?: string
  /** The provider's key: taken out of every error sentence, which the window shows and the journal keeps. */
  secrets?: readonly string[]
}

/** The same failure with the provider's key (and anything after `Bearer`) taken out of its words. */
export function withoutSecrets(error: ProviderError, context: ClassifyContext): ProviderError {
  const message = redactSecrets(error.message, context.secrets)
  return message === error.message ? error : new ProviderError({ ...fieldsOf(error), message })
}

/**
 * C5: a stream that ended cleanly but without the server's word that the answer was whole (no finish reason and no
 * `[DONE]` on the OpenAI API, no `message_stop` on Anthropic's) was cut short. Ollama ends so when its model runner
 * fails mid-answer: `/api/chat` sends `{"error":"…"}` after its 200, and its OpenAI and Anthropic layers
 * (`middleware/openai.go`, `middleware/anthropic.go`) read that as an empty chat response, so the error's words are lost.
 */
export function unfinishedAnswer(): ProviderError {
  return new ProviderError({ kind: 'server', message: "the answer stopped before the server finished it, and it didn't say why (its log may)" })
}

/** Maps anything a provider SDK, fetch or the SSE parser throws to one ProviderError. */
export function classifyProviderError(err: unknown, context: ClassifyContext = {}): ProviderError {
  if (err instanceof ProviderError) {
    if (err.baseUrl !== undefined || context.baseUrl === undefined) return err
    return new ProviderError({ ...fieldsOf(err), baseUrl: context.baseUrl })
  }
  const base = { cause: err, baseUrl: context.baseUrl }

  const status = httpStatusOf(err)
  if (status !== undefined) {
    return new ProviderError({
      ...base,
      kind: kindForStatus(status),
      status,
      message: serverMessage(err, status),
      retryAfterMs: retryAfterMsOf(err)
    })
  }

  // An error the server sent inside the stream (`data: {"error": …}`, or Anthropic's `event: error`): no status.
  const streamed = streamedErrorKind(err)
  if (streamed !== undefined) return new ProviderError({ ...base, kind: streamed, message: serverMessage(err) })

  // Checked before the SDKs' generic classes below: a connection error is an SDK error too.
  const network = networkReason(err)
  if (network !== undefined) return new ProviderError({ ...base, kind: 'unreachable', message: network })

  if (findInChain(err, (e) => e instanceof SyntaxError) !== undefined) {
    return new ProviderError({ ...base, kind: 'malformed_stream', message: messageOf(err) })
  }
  // What remains from the SDKs are complaints about the reply's shape ("no body", "unexpected event order").
  if (err instanceof OpenAIError || err instanceof AnthropicError) {
    return new ProviderError({ ...base, kind: 'malformed_stream', message: messageOf(err) })
  }
  // Unknown failures fail the run with their message rather than wait forever as "offline".
  return new ProviderError({ ...base, kind: 'server', message: messageOf(err) })
}

/**
 * True for the failures worth retrying before the first token (rule C4): rate limits, and Anthropic's 529
 * "overloaded". A 503 is not among them: it means the server is not ready yet (C6, `isLoadingModel`).
 */
export function isRetryable(e: ProviderError): boolean {
  return e.kind === 'rate_limited' || e.status === 529
}

/**
 * True when the server answered but is not ready: a 503 before the first token, as llama.cpp's server (and others)
 * send while they load a model (rule C6). The prompt waits for it, like an unreachable server (C3).
 */
export function isLoadingModel(e: ProviderError): boolean {
  return e.status === 503
}

/** The banner's sentence while the server loads the model (C6): the server's own words when it gave any. */
export function describeLoadingModel(e: ProviderError): string {
  const detail = redactSecrets(e.message.trim())
  const text = `The model server is still loading the model (${e.status ?? 503})${detail === '' ? '' : `: ${detail}`}`
  return /[.!?]$/.test(text) ? text : `${text}.`
}

/** C6's failure, once the limit has passed: "The model server was still loading the model after 10 minutes: …". */
export function describeLoadingTimeout(e: ProviderError, waitedMs: number): string {
  const detail = redactSecrets(e.message.trim())
  const text = `The model server was still loading the model after ${spokenDuration(waitedMs)}: ${detail === '' ? `it answered ${e.status ?? 503}` : detail}`
  return /[.!?]$/.test(text) ? text : `${text}.`
}

/** "10 minutes", "1 minute", "45 seconds", "1 hour". */
export function spokenDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
  if (seconds < 60) return unit(seconds, 'second')
  if (seconds < 3600 || seconds % 3600 !== 0) return unit(Math.round(seconds / 60), 'minute')
  return unit(seconds / 3600, 'hour')
}

/** The reason given for a connection that was dropped, before or during the answer. */
const connectionClosed = 'the connection was closed'

/** The sentence the UI shows: what happened, the HTTP status, and the server's own words when it gave any. */
export function describeProviderError(e: ProviderError): string {
  const detail = redactSecrets(e.message.trim())
  const code = e.status === undefined ? '' : ` (${e.status})`
  /** "<lead> (<status>): <server's words>." with one full stop, whatever the server's words ended with. */
  const line = (lead: string): string => {
    const text = detail === '' ? `${lead}${code}` : `${lead}${code}: ${detail}`
    return /[.!?]$/.test(text) ? text : `${text}.`
  }
  const at = e.baseUrl === undefined ? '' : ` at ${e.baseUrl}`
  switch (e.kind) {
    case 'unreachable':
      // A dropped connection (often mid-answer) is told apart from a server that never answered.
      if (detail === connectionClosed) return `The model server${at} closed the connection. Check that it is still running.`
      return `Parley couldn't reach the model server${at}${detail === '' ? '' : ` (${detail})`}. Check that it is running and the address is right.`
    case 'auth':
      return `${line("The model server refused Parley's credentials")} Check the API key in Settings.`
    case 'rate_limited': {
      const wait = e.retryAfterMs === undefined ? '' : ` Try again in ${Math.max(1, Math.ceil(e.retryAfterMs / 1000))} s.`
      return `${line('The model server is rate limiting requests')}${wait}`
    }
    case 'server':
      return line('The model server returned an error')
    case 'bad_request':
      return line('The model server rejected the request')
    case 'malformed_stream':
      return line("The model server sent a reply Parley couldn't read")
  }
}

// ---------------------------------------------------------------------------------------------------------------

function fieldsOf(e: ProviderError): ProviderErrorInit {
  return { kind: e.kind, message: e.message, status: e.status, retryAfterMs: e.retryAfterMs, cause: e.cause, baseUrl: e.baseUrl }
}

function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'server'
  return 'bad_request'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** The HTTP status of an SDK API error (both SDKs put it on `status`); undefined for everything else. */
function httpStatusOf(err: unknown): number | undefined {
  if (!isRecord(err)) return undefined
  const status = err['status']
  return typeof status === 'number' && status >= 100 && status <= 599 ? status : undefined
}

/**
 * The server's own words. OpenAI's SDK keeps the body's `error` object; Anthropic's keeps the whole body
 * (`{ type: 'error', error: { message } }`); FastAPI-style servers say `detail`. A body that wasn't JSON ends up in
 * the SDK's message, after its "<status> " prefix.
 */
function serverMessage(err: unknown, status?: number): string {
  if (!isRecord(err)) return String(err)
  const body = err['error']
  const fromBody = pickMessage(body)
  if (fromBody !== undefined) return fromBody
  let message = messageOf(err)
  if (status !== undefined && message.startsWith(`${status} `)) message = message.slice(`${status} `.length)
  // The SDKs' placeholders for "the server said nothing".
  if (message === '(no status code or body)' || /status code \(no body\)$/.test(message)) return ''
  return message
}

function pickMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : body
  if (!isRecord(body)) return undefined
  for (const key of ['message', 'detail', 'error'] as const) {
    const value = body[key]
    if (typeof value === 'string' && value.trim() !== '') return value
    if (key === 'error' && isRecord(value)) return pickMessage(value)
  }
  return undefined
}

/** `retry-after-ms`, or `retry-after` as seconds or an HTTP-date; undefined when absent or unreadable. */
function retryAfterMsOf(err: unknown): number | undefined {
  if (!isRecord(err)) return undefined
  const headers = err['headers']
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined
    if (isRecord(headers)) {
      const value = headers[name]
      return typeof value === 'string' ? value : undefined
    }
    return undefined
  }
  const ms = Number.parseFloat(get('retry-after-ms') ?? '')
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms)
  const header = get('retry-after')?.trim()
  if (header === undefined || header === '') return undefined
  if (/^\d+(\.\d+)?$/.test(header)) return Math.round(Number.parseFloat(header) * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

const reasonsByCode: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out',
  UND_ERR_HEADERS_TIMEOUT: 'timed out',
  UND_ERR_BODY_TIMEOUT: 'timed out',
  ECONNRESET: connectionClosed,
  EPIPE: connectionClosed,
  UND_ERR_SOCKET: connectionClosed,
  UND_ERR_CLOSED: connectionClosed,
  ECONNABORTED: connectionClosed,
  EHOSTUNREACH: 'network unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network unreachable'
}

/**
 * Why the server couldn't be talked to, or undefined when that isn't the problem. Node's fetch (undici) wraps the
 * system error: `TypeError: fetch failed` before the response, `TypeError: terminated` when the body is cut off,
 * each with the socket error (`ECONNREFUSED`, `UND_ERR_SOCKET`, …) in its `cause` chain.
 */
function networkReason(err: unknown): string | undefined {
  const coded = findInChain(err, (e) => typeof e['code'] === 'string' && Object.hasOwn(reasonsByCode, e['code']))
  if (coded !== undefined) return reasonsByCode[String(coded['code'])]
  if (findInChain(err, (e) => /timed? ?out/i.test(String(e['message']))) !== undefined) return 'timed out'
  // An abort nobody asked for (ours are handled before classifying): the request died on the way.
  const isAbort = (e: Record<string, unknown>): boolean =>
    e['name'] === 'AbortError' || e instanceof OpenAIUserAbortError || e instanceof AnthropicUserAbortError
  if (findInChain(err, isAbort) !== undefined) return 'the request was aborted'
  if (findInChain(err, (e) => e instanceof TypeError && /^(terminated|fetch failed)$/.test(String(e['message']))) !== undefined) {
    return 'the connection failed'
  }
  if (err instanceof OpenAIConnectionError || err instanceof AnthropicConnectionError) return 'the connection failed'
  return undefined
}

const kindsByErrorType: Record<string, ProviderErrorKind> = {
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_api_key: 'auth',
  rate_limit_error: 'rate_limited',
  rate_limit_exceeded: 'rate_limited',
  invalid_request_error: 'bad_request',
  not_found_error: 'bad_request',
  request_too_large: 'bad_request',
  overloaded_error: 'server',
  api_error: 'server',
  server_error: 'server'
}

/** The kind of an error the server reported inside an otherwise good stream, by its error `type`. */
function streamedErrorKind(err: unknown): ProviderErrorKind | undefined {
  if (!isRecord(err) || !(err instanceof OpenAIError || err instanceof AnthropicError)) return undefined
  if (!('error' in err) || err['error'] === undefined) return undefined
  const body = err['error']
  const types = [err['type'], isRecord(body) ? body['type'] : undefined]
  if (isRecord(body) && isRecord(body['error'])) types.push(body['error']['type'])
  for (const type of types) {
    if (typeof type === 'string' && Object.hasOwn(kindsByErrorType, type)) return kindsByErrorType[type]
  }
  return 'server'
}

/** The first error in the `cause` chain (and AggregateError members) that matches. */
function findInChain(err: unknown, match: (e: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
  const seen = new Set<unknown>()
  const queue: unknown[] = [err]
  while (queue.length > 0) {
    const current = queue.shift()
    if (!isRecord(current) || seen.has(current)) continue
    seen.add(current)
    if (match(current)) return current
    queue.push(current['cause'])
    const members = current['errors']
    if (Array.isArray(members)) queue.push(...(members as unknown[]))
  }
  return undefined
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message
  return typeof err === 'string' ? err : ''
}

// ---------------------------------------------------------------------------------------------------------------
// The provider boundary: what every adapter's stream and listModels go through.

/**
 * Runs an adapter's event stream so that every failure leaves as a classified ProviderError, and an abort through
 * `signal` ends the iteration quietly: nothing more is yielded, not even a finish. Waiting for the next event is
 * raced against the signal, so a cancel settles at once even if the SDK underneath were slow to notice it.
 */
export async function* guardProviderStream<T>(
  signal: AbortSignal,
  context: ClassifyContext,
  open: () => AsyncIterable<T>
): AsyncGenerator<T, void, undefined> {
  if (signal.aborted) return
  let iterator: AsyncIterator<T> | undefined
  let aborted: () => void = () => {}
  const onAbort = new Promise<'aborted'>((resolve) => {
    aborted = () => resolve('aborted')
    signal.addEventListener('abort', aborted, { once: true })
  })
  try {
    iterator = open()[Symbol.asyncIterator]()
    for (;;) {
      const next = await Promise.race([iterator.next(), onAbort])
      if (next === 'aborted' || signal.aborted || next.done === true) return
      yield next.value
    }
  } catch (err) {
    if (signal.aborted) return
    throw withoutSecrets(classifyProviderError(err, context), context)
  } finally {
    signal.removeEventListener('abort', aborted)
    // Lets the SDK close its request; not awaited, since after an abort it must not hold the caller up.
    iterator?.return?.().catch(() => {})
  }
}

/** Runs one non-streaming provider call (listing models, say) with its failures classified; an abort is rethrown as is. */
export async function guardProviderCall<T>(
  context: ClassifyContext,
  call: () => Promise<T>,
  signal?: AbortSignal
): Promise<T> {
  try {
    return await call()
  } catch (err) {
    if (signal?.aborted === true) throw err
    throw withoutSecrets(classifyProviderError(err, context), context)
  }
}
