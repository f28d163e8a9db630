import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { unusedPort, startScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import type { ScriptedReply, ScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import type { ProviderConfig } from '../../../shared'
import { bufferedResponse } from '../test-fixtures/buffered-response'
import { AnthropicProvider, defaultAnthropicMaxTokens } from './anthropic-provider'
import { describeProviderError, isRetryable, ProviderError } from './errors'
import type { Provider, ProviderEvent, ProviderRequest } from './provider'

const request: ProviderRequest = { model: 'claude-test', messages: [{ role: 'user', content: 'hello' }] }

function config(baseUrl: string): ProviderConfig {
  return { id: 'anthropic', kind: 'anthropic', name: 'Anthropic', baseUrl }
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
  // A hang guard, not a timing assertion.
  const hang = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('stream did not settle')), 5000))
  return Promise.race([run, hang])
}

const textOf = (events: ProviderEvent[]): string => events.map((e) => (e.type === 'text' ? e.text : '')).join('')

async function failure(provider: Provider, reply: ScriptedReply, server: ScriptedServer): Promise<ProviderError> {
  server.script(reply)
  const { error } = await drain(provider)
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

let server: ScriptedServer
let provider: AnthropicProvider
beforeEach(async () => {
  server = await startScriptedServer({ models: ['claude-a', 'claude-b'] })
  // The scripted server's URL ends in /v1, as a user may type it; the adapter must not double it.
  provider = new AnthropicProvider(config(server.url), 'sk-ant-test')
})
afterEach(async () => {
  await server.close()
})

/** One Anthropic server-sent event. */
const sse = (name: string, data: object): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`

describe('AnthropicProvider: streaming', () => {
  it('delivers a 1,000-token stream complete, with usage, and the finish last', async () => {
    const tokens = Array.from({ length: 1000 }, (_, i) => `w${i} `)
    server.script({ tokens, usage: { inputTokens: 21, outputTokens: 1000 } })
    const { events, error } = await drain(provider)
    expect(error).toBeUndefined()
    expect(textOf(events)).toBe(tokens.join(''))
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 21, outputTokens: 1000 } },
      { type: 'finish', reason: 'end_turn' }
    ])
    expect(server.requests[0]?.path).toBe('/v1/messages')
  })

  it('sends system apart from the messages, the key, and max_tokens (2048 when the request has none)', async () => {
    await drain(provider, undefined, { ...request, system: 'Be brief.', maxTokens: 300 })
    await drain(provider)
    const [first, second] = await server.waitForRequests(2)
    expect(first?.body).toEqual({
      model: 'claude-test',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'hello' }],
      system: 'Be brief.',
      stream: true
    })
    expect(second?.body).toMatchObject({ max_tokens: defaultAnthropicMaxTokens })
    expect(defaultAnthropicMaxTokens).toBe(2048)
    expect(second?.body).not.toHaveProperty('system')
    // This SDK version sends the key as a bearer token.
    expect(first?.headers.authorization ?? first?.headers['x-api-key']).toMatch(/sk-ant-test/)
  })

  it('yields thinking deltas as reasoning, before the text', async () => {
    server.script({ reasoning: ['Consider ', 'this.'], text: 'Done.' })
    const { events } = await drain(provider)
    expect(events.filter((e) => e.type !== 'usage')).toEqual([
      { type: 'reasoning', text: 'Consider ' },
      { type: 'reasoning', text: 'this.' },
      { type: 'text', text: 'Done.' },
      { type: 'finish', reason: 'end_turn' }
    ])
  })

  it('maps stop reasons: end_turn, stop_sequence, max_tokens, tool_use, refusal, and anything else', async () => {
    const cases: [string, string][] = [
      ['end_turn', 'end_turn'],
      ['stop_sequence', 'end_turn'],
      ['max_tokens', 'max_tokens'],
      ['tool_use', 'tool_use'],
      ['refusal', 'content_filter'],
      ['pause_turn', 'unknown']
    ]
    for (const [stopReason, expected] of cases) {
      server.script({ text: 'x', finishReason: stopReason })
      const { events } = await drain(provider)
      expect(events.at(-1), stopReason).toEqual({ type: 'finish', reason: expected })
    }
  })

  it('lists models through the SDK', async () => {
    expect(await provider.listModels()).toEqual(['claude-a', 'claude-b'])
  })
})

describe('AnthropicProvider: a burst', () => {
  it('B3: a burst read from the buffer (every read resolves at once) lets the event loop turn while it is read, so what waits for the loop (the journal, the deltas gated on it) goes out as it streams', async () => {
    const tokens = 3000
    const frames = [
      sse('message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'claude', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 0 } } }),
      sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      ...Array.from({ length: tokens }, (_, index) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `t${index} ` } })),
      sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: tokens } }),
      sse('message_stop', { type: 'message_stop' })
    ]
    // The whole answer already in the buffer, as a local server's burst is by the time main reads it.
    const served: typeof fetch = async () => bufferedResponse(frames)
    const provider = new AnthropicProvider({ id: 'anthropic', kind: 'anthropic', name: 'Anthropic', baseUrl: 'http://127.0.0.1:9/v1' }, undefined, { fetch: served })
    let texts = 0
    const loopTurnedAt: number[] = []
    const watchLoop = (): void => {
      setImmediate(() => {
        loopTurnedAt.push(texts)
        if (texts < tokens) watchLoop()
      })
    }
    const signal = new AbortController().signal
    const events = provider.stream({ model: 'claude', messages: [{ role: 'user', content: 'go' }] }, signal)[Symbol.asyncIterator]()
    // The request is made and answered first; the watch starts with the reading.
    let next = await events.next()
    watchLoop()
    for (; !next.done; next = await events.next()) if (next.value.type === 'text') texts += 1
    expect(texts).toBe(tokens)
    expect(loopTurnedAt.filter((at) => at < tokens).length).toBeGreaterThan(0)
  })
})

describe('AnthropicProvider: aborts', () => {
  it('settles when aborted while the server holds the stream at a gate', async () => {
    server.script({ text: 'never seen', gate: 'hold' })
    const controller = new AbortController()
    const draining = drain(provider, controller.signal)
    await server.waitForGate('hold')
    controller.abort()
    const { events, error } = await draining
    expect(controller.signal.aborted).toBe(true)
    expect(events).toEqual([])
    expect(error === undefined || (error instanceof Error && error.name === 'AbortError')).toBe(true)
    await expect.poll(() => server.requests[0]?.clientAborted).toBe(true)
  })

  it('settles when aborted between slow tokens, with no finish', async () => {
    server.script({ tokens: Array.from({ length: 200 }, (_, i) => `${i} `), tokenDelayMs: 25 })
    const controller = new AbortController()
    const seen: ProviderEvent[] = []
    const hang = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('stream did not settle')), 5000))
    await Promise.race([
      (async () => {
        for await (const event of provider.stream(request, controller.signal)) {
          seen.push(event)
          if (seen.length === 2) controller.abort()
        }
      })(),
      hang
    ])
    expect(textOf(seen)).toBe('0 1 ')
    expect(seen.some((e) => e.type === 'finish')).toBe(false)
  })
})

describe('AnthropicProvider: failures become classified ProviderErrors', () => {
  it('429 with retry-after -> rate_limited with retryAfterMs, and the message from the Anthropic error body', async () => {
    const e = await failure(provider, { fault: { type: 'status', status: 429, retryAfter: 4 } }, server)
    expect([e.kind, e.status, e.retryAfterMs, e.message]).toEqual(['rate_limited', 429, 4000, 'scripted 429'])
    expect(isRetryable(e)).toBe(true)
  })

  it('500 -> server', async () => {
    const e = await failure(provider, { fault: { type: 'status', status: 500 } }, server)
    expect([e.kind, e.status]).toEqual(['server', 500])
    expect(describeProviderError(e)).toBe('The model server returned an error (500): scripted 500.')
  })

  it('a connection dropped mid-stream -> unreachable, after the text before it', async () => {
    server.script({ tokens: ['a ', 'b ', 'c'], fault: { type: 'drop', afterTokens: 2 } })
    const { events, error } = await drain(provider)
    expect(textOf(events)).toBe('a b ')
    expect((error as ProviderError).kind).toBe('unreachable')
  })

  it("C5: a stream that stops with no message_stop (Ollama's Anthropic layer when its runner fails) fails the answer, keeping the text", async () => {
    server.script({ tokens: ['a ', 'b ', 'c'], fault: { type: 'unfinished', afterTokens: 2 } })
    const { events, error } = await drain(provider)
    expect(textOf(events)).toBe('a b ')
    expect(describeProviderError(error as ProviderError)).toBe(
      "The model server returned an error: the answer stopped before the server finished it, and it didn't say why (its log may)."
    )
  })

  it("C5: an `event: error` mid-answer, in Anthropic's shape or llama.cpp's (its error object as the data), fails in the server's words", async () => {
    for (const style of ['data', 'event-error'] as const) {
      server.script({ tokens: ['a ', 'b'], fault: { type: 'stream-error', afterTokens: 1, style, message: 'the model crashed' } })
      const { events, error } = await drain(provider)
      expect(textOf(events)).toBe('a ')
      expect(describeProviderError(error as ProviderError)).toBe('The model server returned an error: the model crashed.')
    }
  })

  it('malformed SSE -> malformed_stream', async () => {
    server.script({ tokens: ['a ', 'b'], fault: { type: 'malformed', afterTokens: 1 } })
    const { events, error } = await drain(provider)
    expect(textOf(events)).toBe('a ')
    expect((error as ProviderError).kind).toBe('malformed_stream')
  })

  it('a refused connection -> unreachable', async () => {
    const port = await unusedPort()
    const { error } = await drain(new AnthropicProvider(config(`http://127.0.0.1:${port}`), 'k'))
    expect(error).toMatchObject({ kind: 'unreachable', message: 'connection refused' })
  })

  it('401 -> auth, and no key at all is a 401 too rather than a hunt for credentials', async () => {
    const guarded = await startScriptedServer({ requireApiKey: 'right' })
    try {
      const { error } = await drain(new AnthropicProvider(config(guarded.origin)))
      expect(error).toMatchObject({ kind: 'auth', status: 401, message: 'Invalid API key.' })
    } finally {
      await guarded.close()
    }
  })

  it('400 -> bad_request', async () => {
    const e = await failure(provider, { fault: { type: 'status', status: 400 } }, server)
    expect([e.kind, e.status, e.message]).toEqual(['bad_request', 400, 'scripted 400'])
  })
})
