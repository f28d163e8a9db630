import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { unusedPort, startScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import type { ContextRefusalStyle, ScriptedReply, ScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import type { ProviderConfig } from '../../../shared'
import { contextOverflowOf } from './context-overflow'
import { describeProviderError, isLoadingModel, isRetryable, ProviderError } from './errors'
import { describeModelsListFailure } from './models-list-failure'
import { OpenAIProvider } from './openai-provider'
import type { Provider, ProviderEvent, ProviderRequest } from './provider'

const request: ProviderRequest = { model: 'scripted-large', messages: [{ role: 'user', content: 'hello' }] }

function config(baseUrl: string): ProviderConfig {
  return { id: 'local', kind: 'openai', name: 'Scripted', baseUrl }
}

/** Drains a stream, keeping the events that arrived before a failure; fails the test if it never settles. */
async function drain(
  provider: Provider,
  signal: AbortSignal = new AbortController().signal,
  req: ProviderRequest = request
): Promise<{ events: ProviderEvent[]; error?: unknown }> {
  const events: ProviderEvent[] = []
  const run = (async () => {
    try {
      for await (const event of provider.stream(req, signal)) events.push(event)
      return { events }
    } catch (error) {
      return { events, error }
    }
  })()
  return settles(run)
}

/** A hang guard, not a timing assertion: the bound is far above anything a working stream needs. */
function settles<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms))
  ])
}

const textOf = (events: ProviderEvent[]): string =>
  events.map((e) => (e.type === 'text' ? e.text : '')).join('')
const reasoningOf = (events: ProviderEvent[]): string =>
  events.map((e) => (e.type === 'reasoning' ? e.text : '')).join('')

async function failure(provider: Provider, reply: ScriptedReply, server: ScriptedServer): Promise<ProviderError> {
  server.script(reply)
  const { error } = await drain(provider)
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

/** A server that answers every request with a 200 event stream of exactly `body` (for shapes the scripted server can't make). */
async function startRawServer(body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const raw = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.end(body)
  })
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
  const { port } = raw.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => raw.close(() => resolve()))
  }
}

/** A server that answers every request with a 200 and exactly this JSON body (content-type application/json). */
async function startRawJsonServer(body: unknown): Promise<{ url: string; close: () => Promise<void> }> {
  const raw = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
    res.end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
  const { port } = raw.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => raw.close(() => resolve()))
  }
}

let server: ScriptedServer
let provider: OpenAIProvider
beforeEach(async () => {
  server = await startScriptedServer({ models: ['llama3.2', 'qwen3'] })
  provider = new OpenAIProvider(config(server.url))
})
afterEach(async () => {
  await server.close()
})

describe('OpenAIProvider: streaming', () => {
  it('delivers a 1,000-token stream complete, with usage, and the finish last', async () => {
    const tokens = Array.from({ length: 1000 }, (_, i) => `tok${i} `)
    server.script({ tokens, usage: { inputTokens: 12, outputTokens: 1000 } })
    const { events, error } = await drain(provider)
    expect(error).toBeUndefined()
    expect(textOf(events)).toBe(tokens.join(''))
    // Each network read is one event (openai-sse.ts): all 1,000 tokens, in order, in far fewer events.
    expect(events.filter((e) => e.type === 'text').length).toBeLessThan(1000)
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 1000 } },
      { type: 'finish', reason: 'end_turn' }
    ])
  })

  it('sends the system prompt as a system message, asks for usage, and passes max_tokens only when set', async () => {
    await drain(provider, undefined, {
      model: 'qwen3',
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' }
      ],
      maxTokens: 99
    })
    await drain(provider)
    const [first, second] = await server.waitForRequests(2)
    expect(first?.path).toBe('/v1/chat/completions')
    expect(first?.body).toEqual({
      model: 'qwen3',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' }
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 99
    })
    expect(second?.body).not.toHaveProperty('max_tokens')
    expect((second?.body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'hello' }])
  })

  it('sends a placeholder key when none is set (Ollama needs none), and the real key when there is one', async () => {
    await drain(provider)
    await drain(new OpenAIProvider(config(server.url), 'sk-real'))
    const [keyless, keyed] = await server.waitForRequests(2)
    expect(keyless?.headers.authorization).toBe('Bearer not-needed')
    expect(keyed?.headers.authorization).toBe('Bearer sk-real')
  })

  it('yields reasoning deltas from reasoning_content (DeepSeek, vLLM) and reasoning (Ollama)', async () => {
    server.script(
      { reasoning: ['Let me ', 'think.'], text: 'Answer.' },
      { reasoning: ['Hmm'], reasoningField: 'reasoning', text: 'Yes.' }
    )
    const first = await drain(provider)
    expect(reasoningOf(first.events)).toBe('Let me think.')
    expect(textOf(first.events)).toBe('Answer.')
    // Reasoning comes before the answer, as the server sent it.
    expect(first.events.findIndex((e) => e.type === 'reasoning')).toBeLessThan(first.events.findIndex((e) => e.type === 'text'))
    const second = await drain(provider)
    expect(reasoningOf(second.events)).toBe('Hmm')
    expect(textOf(second.events)).toBe('Yes.')
  })

  it('a reasoning model served without a reasoning parser: <think>…</think> in the text becomes reasoning, cut anywhere', async () => {
    server.script({ tokens: ['<thi', 'nk>\nThe sum', ' is 4.\n</th', 'ink>\n\n', 'It is **4**.'] }, { tokens: ['Plain ', '<think> stays'] })
    const first = await drain(provider)
    expect(reasoningOf(first.events)).toBe('The sum is 4.')
    expect(textOf(first.events)).toBe('It is **4**.')
    const second = await drain(provider)
    expect(reasoningOf(second.events)).toBe('')
    expect(textOf(second.events)).toBe('Plain <think> stays')
  })

  it('a template that opened <think> in the prompt: the lone </think> says the text before it was thinking', async () => {
    server.script({ tokens: ['The sum', ' is 4.\n</th', 'ink>\n\n', 'It is **4**.'] })
    const { events } = await drain(provider)
    const at = events.findIndex((e) => e.type === 'text-was-reasoning')
    expect(textOf(events.slice(0, at))).toBe('The sum is 4.\n')
    expect(textOf(events.slice(at + 1))).toBe('It is **4**.')
    expect(events.filter((e) => e.type === 'text-was-reasoning')).toHaveLength(1)
  })

  it('maps finish reasons: stop, length, tool_calls, function_call, content_filter, and anything else', async () => {
    const cases: [string, string][] = [
      ['stop', 'end_turn'],
      ['length', 'max_tokens'],
      ['tool_calls', 'tool_use'],
      ['function_call', 'tool_use'],
      ['content_filter', 'content_filter'],
      ['eos_token', 'unknown']
    ]
    for (const [finishReason, expected] of cases) {
      server.script({ text: 'x', finishReason })
      const { events } = await drain(provider)
      expect(events.at(-1), finishReason).toEqual({ type: 'finish', reason: expected })
    }
  })

  it('lists models through the SDK', async () => {
    expect(await provider.listModels()).toEqual(['llama3.2', 'qwen3'])
  })
})

describe('OpenAIProvider: aborts', () => {
  it('settles when aborted while the server holds the stream at a gate, yielding nothing more', async () => {
    server.script({ text: 'never seen', gate: 'hold' })
    const controller = new AbortController()
    const draining = drain(provider, controller.signal)
    await server.waitForGate('hold')
    controller.abort()
    const { events, error } = await draining
    expect(controller.signal.aborted).toBe(true)
    expect(events).toEqual([])
    // Quiet end, or an abort: never a ProviderError.
    expect(error === undefined || (error instanceof Error && error.name === 'AbortError')).toBe(true)
    await expect.poll(() => server.requests[0]?.clientAborted).toBe(true)
  })

  it('settles when aborted between slow tokens, keeping what arrived and sending no finish', async () => {
    server.script({ tokens: Array.from({ length: 200 }, (_, i) => `${i} `), tokenDelayMs: 25 })
    const controller = new AbortController()
    const seen: ProviderEvent[] = []
    const run = (async () => {
      for await (const event of provider.stream(request, controller.signal)) {
        seen.push(event)
        if (seen.length === 3) controller.abort()
      }
    })()
    await settles(run)
    expect(controller.signal.aborted).toBe(true)
    expect(textOf(seen)).toBe('0 1 2 ')
    expect(seen.some((e) => e.type === 'finish')).toBe(false)
    await expect.poll(() => server.requests[0]?.clientAborted).toBe(true)
  })

  it('ends at once without a request when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const { events, error } = await drain(provider, controller.signal)
    expect([events, error]).toEqual([[], undefined])
    expect(server.requests).toHaveLength(0)
  })

  it('closes the request when the consumer stops iterating', async () => {
    server.script({ tokens: Array.from({ length: 100 }, (_, i) => `${i} `), tokenDelayMs: 10 })
    for await (const event of provider.stream(request, new AbortController().signal)) {
      if (event.type === 'text') break
    }
    await expect.poll(() => server.requests[0]?.clientAborted).toBe(true)
  })
})

describe('OpenAIProvider: failures become classified ProviderErrors', () => {
  it('429 with retry-after -> rate_limited with retryAfterMs, retryable', async () => {
    const e = await failure(provider, { fault: { type: 'status', status: 429, retryAfter: 3 } }, server)
    expect([e.kind, e.status, e.retryAfterMs]).toEqual(['rate_limited', 429, 3000])
    expect(isRetryable(e)).toBe(true)
    expect(describeProviderError(e)).toBe('The model server is rate limiting requests (429): scripted 429. Try again in 3 s.')
  })

  it('C6: 503 with retry-after -> server, carrying retryAfterMs; a loading model, not a C4 retry', async () => {
    const e = await failure(provider, { fault: { type: 'status', status: 503, retryAfter: 1 } }, server)
    expect([e.kind, e.status, e.retryAfterMs]).toEqual(['server', 503, 1000])
    expect(isRetryable(e)).toBe(false)
    expect(isLoadingModel(e)).toBe(true)
  })

  it('500 -> server, with the server message in the sentence', async () => {
    const e = await failure(provider, { fault: { type: 'status', status: 500, body: { error: { message: 'boom' } } } }, server)
    expect([e.kind, e.status, e.retryAfterMs]).toEqual(['server', 500, undefined])
    expect(isRetryable(e)).toBe(false)
    expect(describeProviderError(e)).toBe('The model server returned an error (500): boom.')
  })

  it("B2: llama.cpp's refusal of a request larger than its context, over HTTP: an overflow, with n_ctx from the body", async () => {
    const body = {
      error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 5012, n_ctx: 4096 }
    }
    const e = await failure(provider, { fault: { type: 'status', status: 400, body } }, server)
    expect(contextOverflowOf(e)).toEqual({ limit: 4096 })
    expect(describeProviderError(e)).toContain('exceeds the available context size')
  })

  it('a connection dropped mid-stream -> unreachable, after the text before it was yielded', async () => {
    server.script({ tokens: ['one ', 'two ', 'three ', 'four'], fault: { type: 'drop', afterTokens: 2 } })
    const { events, error } = await drain(provider)
    expect(textOf(events)).toBe('one two ')
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).kind).toBe('unreachable')
    expect(describeProviderError(error as ProviderError)).toBe(
      `The model server at ${server.url} closed the connection. Check that it is still running.`
    )
    expect(events.some((e) => e.type === 'finish')).toBe(false)
  })

  it('malformed SSE -> malformed_stream, after the text before it was yielded', async () => {
    server.script({ tokens: ['fine ', 'then'], fault: { type: 'malformed', afterTokens: 1 } })
    const { events, error } = await drain(provider)
    expect(textOf(events)).toBe('fine ')
    expect((error as ProviderError).kind).toBe('malformed_stream')
    expect(describeProviderError(error as ProviderError)).toMatch(/^The model server sent a reply Parley couldn't read: /)
  })

  it('a refused connection -> unreachable, naming the address', async () => {
    const port = await unusedPort()
    const offline = new OpenAIProvider(config(`http://127.0.0.1:${port}/v1`))
    const { events, error } = await drain(offline)
    expect(events).toEqual([])
    const e = error as ProviderError
    expect([e.kind, e.status, e.message]).toEqual(['unreachable', undefined, 'connection refused'])
    expect(describeProviderError(e)).toBe(
      `Parley couldn't reach the model server at http://127.0.0.1:${port}/v1 (connection refused). ` +
        'Check that it is running and the address is right.'
    )
    await expect(offline.listModels()).rejects.toMatchObject({ kind: 'unreachable' })
  })

  it('401 -> auth', async () => {
    const e = await failure(provider, { fault: { type: 'status', status: 401 } }, server)
    expect([e.kind, e.status]).toEqual(['auth', 401])
    expect(describeProviderError(e)).toBe(
      "The model server refused Parley's credentials (401): scripted 401. Check the API key in Settings."
    )
  })

  it('400 -> bad_request, and an unknown model (404) too', async () => {
    const bad = await failure(provider, { fault: { type: 'status', status: 400 } }, server)
    expect([bad.kind, bad.status]).toEqual(['bad_request', 400])
    const missing = await failure(
      provider,
      { fault: { type: 'status', status: 404, body: { error: { message: 'model "nope" not found, try pulling it first' } } } },
      server
    )
    expect([missing.kind, missing.status]).toEqual(['bad_request', 404])
    expect(describeProviderError(missing)).toBe(
      'The model server rejected the request (404): model "nope" not found, try pulling it first.'
    )
  })

  it("C5: an error llama.cpp sent mid-answer as an SSE `error:` field (its builds with server_sent_event(sink, \"error\")) fails the answer in the server's words", async () => {
    server.script({ tokens: ['one ', 'two ', 'three'], fault: { type: 'stream-error', afterTokens: 2, style: 'error-field', message: 'failed to decode the batch' } })
    const { events, error } = await drain(provider)
    expect(textOf(events)).toBe('one two ')
    expect(error).toBeInstanceOf(ProviderError)
    expect(describeProviderError(error as ProviderError)).toBe('The model server returned an error: failed to decode the batch.')
    expect(events.some((e) => e.type === 'finish')).toBe(false)
  })

  it("C5: an error sent mid-answer as data (llama.cpp today, vLLM) or as LM Studio's `event: error` fails the answer in the server's words", async () => {
    for (const style of ['data', 'event-error'] as const) {
      server.script({ tokens: ['one ', 'two ', 'three'], fault: { type: 'stream-error', afterTokens: 1, style, message: 'the model crashed' } })
      const { events, error } = await drain(provider)
      expect(textOf(events)).toBe('one ')
      expect(describeProviderError(error as ProviderError)).toBe('The model server returned an error: the model crashed.')
    }
  })

  it('C5: a stream that stops with no finish and no [DONE] (Ollama, when its runner fails mid-answer) fails the answer, keeping the text', async () => {
    server.script({ tokens: ['one ', 'two ', 'three'], fault: { type: 'unfinished', afterTokens: 2 } })
    const { events, error } = await drain(provider)
    expect(textOf(events)).toBe('one two ')
    expect(error).toBeInstanceOf(ProviderError)
    expect(describeProviderError(error as ProviderError)).toBe(
      "The model server returned an error: the answer stopped before the server finished it, and it didn't say why (its log may)."
    )
    expect(events.some((e) => e.type === 'finish')).toBe(false)
  })

  it('a stream with its finish reason but no [DONE] (ik_llama.cpp), or [DONE] with no finish reason, is whole', async () => {
    const finishedNoDone = await startRawServer('data: {"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\n\ndata: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n')
    const doneNoFinish = await startRawServer('data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n')
    try {
      const first = await drain(new OpenAIProvider(config(finishedNoDone.url)))
      expect([first.error, textOf(first.events), first.events.at(-1)]).toEqual([undefined, 'hi', { type: 'finish', reason: 'end_turn' }])
      const second = await drain(new OpenAIProvider(config(doneNoFinish.url)))
      expect([second.error, textOf(second.events), second.events.at(-1)]).toEqual([undefined, 'hi', { type: 'finish', reason: 'unknown' }])
    } finally {
      await Promise.all([finishedNoDone.close(), doneNoFinish.close()])
    }
  })

  it('B2: every local server\'s refusal of a request over its context, as it sends it, is an overflow (with the size when named)', async () => {
    const big: ProviderRequest = { model: 'm', messages: [{ role: 'user', content: 'x'.repeat(2000) }] }
    const expected: Record<ContextRefusalStyle, number | undefined> = {
      'llama.cpp': 100,
      'llama.cpp-stream': 100,
      'lm-studio': 100,
      'lm-studio-stream': 100,
      vllm: 100,
      ollama: undefined
    }
    for (const [style, limit] of Object.entries(expected) as [ContextRefusalStyle, number | undefined][]) {
      server.limitContext(100, style)
      const { events, error } = await drain(provider, undefined, big)
      expect(events, style).toEqual([])
      expect(error, style).toBeInstanceOf(ProviderError)
      expect(contextOverflowOf(error as ProviderError), style).toEqual({ limit })
    }
  })

  it('listModels reads Ollama\'s list with nothing pulled (`"data": null`) as no models', async () => {
    const empty = await startScriptedServer({ models: [], emptyModelListAsNull: true })
    try {
      expect(await new OpenAIProvider(config(empty.url)).listModels()).toEqual([])
    } finally {
      await empty.close()
    }
  })

  it("LM Studio at its address without /v1 answers 200 with an error: the model list fails in its words (not 0 models), and so does a prompt", async () => {
    const lmStudio = await startScriptedServer({ unknownRoutesAnswer200: true })
    try {
      const atRoot = new OpenAIProvider(config(lmStudio.origin))
      const listing = await atRoot.listModels().then(
        (models) => models,
        (error: unknown) => error
      )
      expect(listing).toBeInstanceOf(ProviderError)
      expect(describeModelsListFailure(listing as ProviderError, 'openai')).toBe(
        'The model server returned an error: Unexpected endpoint or method. (GET /models). ' +
          `OpenAI-compatible servers usually answer under /v1: try ${lmStudio.origin}/v1`
      )
      const { events, error } = await drain(atRoot)
      expect(events).toEqual([])
      expect(describeProviderError(error as ProviderError)).toBe('The model server returned an error: Unexpected endpoint or method. (POST /chat/completions).')
    } finally {
      await lmStudio.close()
    }
  })

  it('a server that answers a stream request with one whole chat.completion (it ignores `stream`) is read as that answer', async () => {
    const whole = await startRawJsonServer({
      id: 'x',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'all at once', reasoning_content: 'thought' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }
    })
    try {
      const { events, error } = await drain(new OpenAIProvider(config(whole.url)))
      expect(error).toBeUndefined()
      expect([reasoningOf(events), textOf(events)]).toEqual(['thought', 'all at once'])
      expect(events.slice(-2)).toEqual([
        { type: 'usage', usage: { inputTokens: 5, outputTokens: 3 } },
        { type: 'finish', reason: 'max_tokens' }
      ])
    } finally {
      await whole.close()
    }
  })

  it('listModels classifies failures too', async () => {
    const guarded = await startScriptedServer({ requireApiKey: 'right' })
    try {
      await expect(new OpenAIProvider(config(guarded.url), 'wrong').listModels()).rejects.toMatchObject({
        kind: 'auth',
        status: 401
      })
      expect(await new OpenAIProvider(config(guarded.url), 'right').listModels()).toEqual(['scripted-large', 'scripted-small'])
    } finally {
      await guarded.close()
    }
  })
})
