import * as AnthropicSdk from '@anthropic-ai/sdk'
import * as OpenAISdk from 'openai'
import { describe, expect, it } from 'vitest'
import {
  classifyProviderError,
  describeProviderError,
  guardProviderCall,
  describeLoadingModel,
  describeLoadingTimeout,
  guardProviderStream,
  isLoadingModel,
  isRetryable,
  ProviderError,
  spokenDuration
} from './errors'

/** What Node's fetch (undici) throws when the system refuses, can't resolve or drops a connection. */
function fetchFailure(code: string, message = 'fetch failed'): TypeError {
  const system = Object.assign(new Error(`connect ${code} 127.0.0.1:11434`), { code })
  return new TypeError(message, { cause: system })
}

const headers = (values: Record<string, string>): Headers => new Headers(values)

describe('classifyProviderError: HTTP statuses', () => {
  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [429, 'rate_limited'],
    [500, 'server'],
    [502, 'server'],
    [503, 'server'],
    [529, 'server'],
    [400, 'bad_request'],
    [404, 'bad_request'],
    [413, 'bad_request'],
    [422, 'bad_request']
  ] as const)('OpenAI %i -> %s', (status, kind) => {
    const err = OpenAISdk.APIError.generate(status, { error: { message: 'nope' } }, undefined, headers({}))
    const e = classifyProviderError(err)
    expect([e.kind, e.status, e.message]).toEqual([kind, status, 'nope'])
    expect(e.cause).toBe(err)
  })

  it('reads the message out of an Anthropic error body', () => {
    const body = { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: too large' } }
    const e = classifyProviderError(AnthropicSdk.APIError.generate(400, body, undefined, headers({})))
    expect([e.kind, e.status, e.message]).toEqual(['bad_request', 400, 'max_tokens: too large'])
  })

  it('keeps a plain-text body, reads a FastAPI-style `detail`, and says nothing for an empty body', () => {
    const text = classifyProviderError(OpenAISdk.APIError.generate(502, undefined, 'Bad Gateway', headers({})))
    expect(text.message).toBe('Bad Gateway')
    const detail = classifyProviderError(AnthropicSdk.APIError.generate(500, { detail: 'CUDA out of memory' }, undefined, headers({})))
    expect(detail.message).toBe('CUDA out of memory')
    const empty = classifyProviderError(OpenAISdk.APIError.generate(500, undefined, undefined, headers({})))
    expect(empty.message).toBe('')
    expect(describeProviderError(empty)).toBe('The model server returned an error (500).')
  })

  it('429: retry-after in seconds, as an HTTP-date, or retry-after-ms becomes retryAfterMs', () => {
    const seconds = classifyProviderError(OpenAISdk.APIError.generate(429, undefined, undefined, headers({ 'retry-after': '20' })))
    expect([seconds.kind, seconds.retryAfterMs]).toEqual(['rate_limited', 20_000])

    const inAMinute = new Date(Date.now() + 60_000).toUTCString()
    const date = classifyProviderError(OpenAISdk.APIError.generate(429, undefined, undefined, headers({ 'retry-after': inAMinute })))
    // HTTP-dates have whole seconds, so the wait lands within a second below a minute.
    expect(date.retryAfterMs).toBeGreaterThan(58_000)
    expect(date.retryAfterMs).toBeLessThanOrEqual(60_000)

    const past = classifyProviderError(
      OpenAISdk.APIError.generate(429, undefined, undefined, headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }))
    )
    expect(past.retryAfterMs).toBe(0)

    const ms = classifyProviderError(AnthropicSdk.APIError.generate(429, undefined, undefined, headers({ 'retry-after-ms': '1500' })))
    expect(ms.retryAfterMs).toBe(1500)

    const none = classifyProviderError(OpenAISdk.APIError.generate(429, undefined, undefined, headers({ 'retry-after': 'soon' })))
    expect([none.kind, none.retryAfterMs]).toEqual(['rate_limited', undefined])
  })

  it('503 is server, but carries retryAfterMs when the header is there', () => {
    const e = classifyProviderError(AnthropicSdk.APIError.generate(503, undefined, undefined, headers({ 'retry-after': '5' })))
    expect([e.kind, e.status, e.retryAfterMs]).toEqual(['server', 503, 5000])
  })
})

describe('classifyProviderError: connections', () => {
  it.each([
    ['ECONNREFUSED', 'connection refused'],
    ['ENOTFOUND', 'host not found'],
    ['EAI_AGAIN', 'host not found'],
    ['ETIMEDOUT', 'timed out'],
    ['ECONNRESET', 'the connection was closed'],
    ['EHOSTUNREACH', 'network unreachable']
  ])('%s in the cause chain -> unreachable (%s)', (code, reason) => {
    const viaSdk = new OpenAISdk.APIConnectionError({ message: 'Connection error.', cause: fetchFailure(code) })
    expect(classifyProviderError(viaSdk)).toMatchObject({ kind: 'unreachable', message: reason })
    const bare = fetchFailure(code)
    expect(classifyProviderError(bare)).toMatchObject({ kind: 'unreachable', message: reason })
  })

  it('finds the code inside an AggregateError (Node tries every address of a host)', () => {
    const aggregate = Object.assign(new AggregateError([Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })]), {})
    const err = new AnthropicSdk.APIConnectionError({ cause: new TypeError('fetch failed', { cause: aggregate }) })
    expect(classifyProviderError(err)).toMatchObject({ kind: 'unreachable', message: 'connection refused' })
  })

  it('a stream cut off mid-body (undici: "terminated", other side closed) -> unreachable', () => {
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })
    const e = classifyProviderError(new TypeError('terminated', { cause: socket }))
    expect(e).toMatchObject({ kind: 'unreachable', message: 'the connection was closed' })
    expect(classifyProviderError(new TypeError('terminated'))).toMatchObject({ kind: 'unreachable' })
  })

  it('SDK timeouts and connection errors without a cause -> unreachable', () => {
    expect(classifyProviderError(new OpenAISdk.APIConnectionTimeoutError())).toMatchObject({
      kind: 'unreachable',
      message: 'timed out'
    })
    expect(classifyProviderError(new AnthropicSdk.APIConnectionTimeoutError())).toMatchObject({ kind: 'unreachable' })
    expect(classifyProviderError(new OpenAISdk.APIConnectionError({ message: 'Connection error.' }))).toMatchObject({
      kind: 'unreachable'
    })
  })

  it('names the address when it is known', () => {
    const e = classifyProviderError(fetchFailure('ECONNREFUSED'), { baseUrl: 'http://127.0.0.1:11434/v1' })
    expect(describeProviderError(e)).toBe(
      "Parley couldn't reach the model server at http://127.0.0.1:11434/v1 (connection refused). " +
        'Check that it is running and the address is right.'
    )
  })
})

describe('classifyProviderError: streams', () => {
  it('a JSON parse failure in the SSE stream -> malformed_stream', () => {
    let parseError: unknown
    try {
      JSON.parse('{"choices": [')
    } catch (error) {
      parseError = error
    }
    expect(classifyProviderError(parseError)).toMatchObject({ kind: 'malformed_stream' })
  })

  it("an SDK complaint about the reply's shape -> malformed_stream", () => {
    const e = classifyProviderError(new OpenAISdk.OpenAIError('Attempted to iterate over a response with no body'))
    expect(e.kind).toBe('malformed_stream')
    expect(describeProviderError(e)).toBe(
      "The model server sent a reply Parley couldn't read: Attempted to iterate over a response with no body."
    )
  })

  it('an error event inside the stream is classified by its type', () => {
    // OpenAI-compatible servers send `data: {"error": {...}}`; Anthropic sends `event: error`. Neither has a status.
    const openaiServer = new OpenAISdk.APIError(undefined, { message: 'model crashed', type: 'server_error' }, undefined, undefined)
    expect(classifyProviderError(openaiServer)).toMatchObject({ kind: 'server', status: undefined, message: 'model crashed' })

    const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }
    const anthropicOverloaded = new AnthropicSdk.APIError(undefined, overloaded, undefined, undefined, 'overloaded_error')
    expect(classifyProviderError(anthropicOverloaded)).toMatchObject({ kind: 'server', message: 'Overloaded' })

    const limited = { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }
    expect(classifyProviderError(new AnthropicSdk.APIError(undefined, limited, undefined, undefined))).toMatchObject({
      kind: 'rate_limited',
      message: 'slow down'
    })
  })
})

describe('classifyProviderError: everything else', () => {
  it('passes a ProviderError through, adding the address if it lacked one', () => {
    const original = new ProviderError({ kind: 'auth', message: 'no', status: 401 })
    expect(classifyProviderError(original)).toBe(original)
    const placed = classifyProviderError(original, { baseUrl: 'http://x/v1' })
    expect(placed).toMatchObject({ kind: 'auth', status: 401, message: 'no', baseUrl: 'http://x/v1' })
  })

  it('an unknown failure is a server error with its message, not an "offline" that would wait forever', () => {
    expect(classifyProviderError(new Error('weird'))).toMatchObject({ kind: 'server', message: 'weird' })
    expect(classifyProviderError('a string')).toMatchObject({ kind: 'server', message: 'a string' })
  })
})

describe('isRetryable', () => {
  it('C4: is true for 429 (and Anthropic 529), false for other failures; a 503 is C6, not C4', () => {
    const of = (status: number): ProviderError =>
      classifyProviderError(OpenAISdk.APIError.generate(status, undefined, undefined, headers({})))
    expect([429, 503, 529, 500, 502, 401, 400].map((s) => isRetryable(of(s)))).toEqual([
      true,
      false,
      true,
      false,
      false,
      false,
      false
    ])
    expect(isRetryable(classifyProviderError(fetchFailure('ECONNREFUSED')))).toBe(false)
  })
})

describe('isLoadingModel and its sentences (rule C6)', () => {
  const llamaLoading = () =>
    classifyProviderError(
      OpenAISdk.APIError.generate(503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } }, undefined, headers({}))
    )

  it('C6: a 503 means the server is loading; 429, 529 and 500 do not', () => {
    expect(isLoadingModel(llamaLoading())).toBe(true)
    const of = (status: number): ProviderError =>
      classifyProviderError(OpenAISdk.APIError.generate(status, undefined, undefined, headers({})))
    expect([429, 529, 500].map((s) => isLoadingModel(of(s)))).toEqual([false, false, false])
  })

  it('C6: the banner says the model is loading in the server\'s words, and the timeout names the wait', () => {
    expect(describeLoadingModel(llamaLoading())).toBe('The model server is still loading the model (503): Loading model.')
    expect(describeLoadingTimeout(llamaLoading(), 600_000)).toBe(
      'The model server was still loading the model after 10 minutes: Loading model.'
    )
    const silent = new ProviderError({ kind: 'server', status: 503, message: '' })
    expect(describeLoadingModel(silent)).toBe('The model server is still loading the model (503).')
    expect(describeLoadingTimeout(silent, 30_000)).toBe('The model server was still loading the model after 30 seconds: it answered 503.')
    expect([1000, 60_000, 90_000, 3_600_000, 7_200_000].map(spokenDuration)).toEqual([
      '1 second',
      '1 minute',
      '2 minutes',
      '1 hour',
      '2 hours'
    ])
  })
})

describe('describeProviderError', () => {
  it('writes one sentence per kind, with the status and the server message', () => {
    const make = (init: ConstructorParameters<typeof ProviderError>[0]): string => describeProviderError(new ProviderError(init))
    expect(make({ kind: 'server', status: 500, message: 'boom' })).toBe('The model server returned an error (500): boom.')
    expect(make({ kind: 'server', status: 500, message: 'boom.' })).toBe('The model server returned an error (500): boom.')
    expect(make({ kind: 'bad_request', status: 400, message: 'bad' })).toBe('The model server rejected the request (400): bad.')
    expect(make({ kind: 'auth', status: 403, message: '' })).toBe(
      "The model server refused Parley's credentials (403). Check the API key in Settings."
    )
    expect(make({ kind: 'rate_limited', status: 429, message: 'slow', retryAfterMs: 1200 })).toBe(
      'The model server is rate limiting requests (429): slow. Try again in 2 s.'
    )
    expect(make({ kind: 'unreachable', message: '' })).toBe(
      "Parley couldn't reach the model server. Check that it is running and the address is right."
    )
    expect(make({ kind: 'unreachable', message: 'the connection was closed', baseUrl: 'http://h/v1' })).toBe(
      'The model server at http://h/v1 closed the connection. Check that it is still running.'
    )
    expect(make({ kind: 'server', status: 500, message: 'Out of memory!' })).toBe(
      'The model server returned an error (500): Out of memory!'
    )
    expect(make({ kind: 'malformed_stream', message: 'Unexpected end of JSON input' })).toBe(
      "The model server sent a reply Parley couldn't read: Unexpected end of JSON input."
    )
  })
})

describe('guardProviderStream', () => {
  it('throws failures from the stream as classified ProviderErrors, after what was yielded', async () => {
    const seen: string[] = []
    const stream = guardProviderStream(new AbortController().signal, { baseUrl: 'http://h/v1' }, async function* () {
      yield 'a'
      throw fetchFailure('ECONNRESET', 'terminated')
    })
    await expect(
      (async () => {
        for await (const item of stream) seen.push(item)
      })()
    ).rejects.toMatchObject({ kind: 'unreachable', baseUrl: 'http://h/v1' })
    expect(seen).toEqual(['a'])
  })

  it('ends quietly on abort even if the stream underneath never answers again', async () => {
    const controller = new AbortController()
    let returned = false
    const stuck: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<string>>(() => {}),
        return: () => {
          returned = true
          return Promise.resolve({ done: true, value: undefined })
        }
      })
    }
    const seen: string[] = []
    const run = (async () => {
      for await (const item of guardProviderStream(controller.signal, {}, () => stuck)) seen.push(item)
      return 'ended'
    })()
    setTimeout(() => controller.abort(), 10)
    const hang = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('did not settle')), 5000))
    expect(await Promise.race([run, hang])).toBe('ended')
    expect(seen).toEqual([])
    expect(returned).toBe(true)
  })

  it('swallows a failure that follows an abort: the abort is the story, not the error', async () => {
    const controller = new AbortController()
    const stream = guardProviderStream(controller.signal, {}, async function* () {
      yield 1
      controller.abort()
      throw new Error('socket closed because of the abort')
    })
    const seen: number[] = []
    for await (const item of stream) seen.push(item)
    expect(seen).toEqual([1])
  })
})

describe('guardProviderCall', () => {
  it('classifies failures and rethrows an abort as it is', async () => {
    await expect(guardProviderCall({}, () => Promise.reject(fetchFailure('ENOTFOUND')))).rejects.toMatchObject({
      kind: 'unreachable',
      message: 'host not found'
    })
    const controller = new AbortController()
    controller.abort()
    const abort = new OpenAISdk.APIUserAbortError()
    await expect(guardProviderCall({}, () => Promise.reject(abort), controller.signal)).rejects.toBe(abort)
  })
})
