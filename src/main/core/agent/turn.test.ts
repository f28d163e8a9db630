import { describe, expect, it } from 'vitest'
import type { ParleyEvent } from '../../../shared'
import { EventBroker } from '../events/event-broker'
import { LearnedContexts } from '../providers/context-overflow'
import { startScriptedServer, type ServedContextOption } from '../../../../e2e/fixtures/scripted-server'
import { ServedContexts, servedContext } from '../providers/served-context'
import { loadingIntoMemory, loadingIntoMemorySentence } from '../providers/model-loading'
import { ProviderError } from '../providers/errors'
import { OpenAIProvider } from '../providers/openai-provider'
import type { Provider, ProviderEvent, ProviderRequest } from '../providers/provider'
import { noAttachments, type ReachabilityPort } from './ports'
import { newRun } from './run'
import { MemoryHistory } from './test-fixtures/memory-history'
import { takeTurn, type TurnPorts, type TurnStop } from './turn'

/** A provider that answers each stream from a script: tokens, or an error before the first one. */
class ScriptedProvider implements Provider {
  readonly id = 'local'
  streams = 0

  constructor(private readonly script: (request: ProviderRequest) => { tokens: string[] } | { error: Error }) {}

  async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
    this.streams += 1
    const reply = this.script(request)
    if ('error' in reply) throw reply.error
    for (const text of reply.tokens) yield { type: 'text', text }
    yield { type: 'finish', reason: 'end_turn' }
  }

  async listModels(): Promise<string[]> {
    return ['m']
  }
}

/** A reachability monitor that only records what the turn told it (a monitored provider: C3 and C6 wait). */
class HeardReachability implements ReachabilityPort {
  readonly heard: string[] = []
  isReachable = () => true
  unreachable = (providerId: string) => void this.heard.push(`unreachable ${providerId}`)
  loading = (providerId: string) => void this.heard.push(`loading ${providerId}`)
  answered = (providerId: string) => void this.heard.push(`answered ${providerId}`)
  turnStopped = (providerId: string) => void this.heard.push(`stopped ${providerId}`)
}

function setup(provider: Provider, clock = { now: 1000 }) {
  const broker = new EventBroker()
  const history = new MemoryHistory()
  history.attach(broker)
  const events: ParleyEvent[] = []
  broker.subscribe({ since: 0 }, (event) => void events.push(event))
  const firstPrompts: string[] = []
  const reachability = new HeardReachability()
  let ids = 0
  const ports: TurnPorts = {
    broker,
    history,
    models: { large: () => ({ provider, ref: { providerId: 'local', model: 'm', contextWindow: 8192, maxOutputTokens: 256 } }) },
    settings: () => ({ systemPrompt: '', maxRetries: 0, loadingTimeoutMs: 60_000 }),
    sessionOptions: () => undefined,
    reachability,
    attachments: noAttachments,
    journalWritten: () => undefined,
    userMessageWritten: (sessionId, seed) => void firstPrompts.push(`${sessionId}: ${seed}`),
    now: () => clock.now,
    newId: () => `id-${++ids}`,
    deltaIntervalMs: 0,
    maxRetryWaitMs: 1000,
    contexts: new LearnedContexts()
  }
  return { ports, broker, history, events, firstPrompts, reachability }
}

function freshStop(): TurnStop {
  return { controller: new AbortController(), stopReason: undefined }
}

/**
 * A server started with a context of `limit` tokens (llama.cpp's `-c`): it counts a request as its characters / 4 and
 * refuses one that doesn't fit, in llama.cpp's words (naming the size, or not), before any token.
 */
function smallContextServer(limit: number, namesLimit: boolean) {
  const sent: ProviderRequest[] = []
  const reply = (request: ProviderRequest): { tokens: string[] } | { error: Error } => {
    sent.push(request)
    const tokens = Math.ceil(request.messages.reduce((sum, message) => sum + message.content.length, 0) / 4) + (request.maxTokens ?? 0)
    if (tokens <= limit) return { tokens: [`answer ${sent.length} `, 'x'.repeat(396)] }
    const message = namesLimit
      ? `request (${tokens} tokens) exceeds the available context size (${limit} tokens), try increasing it`
      : 'the request exceeds the available context size, try increasing it'
    return { error: new ProviderError({ kind: 'bad_request', status: 400, message }) }
  }
  return { reply, sent }
}

/**
 * A chat of 20 prompts and answers of 400 characters, written through a server that fits them all, then a server of
 * 2,048 tokens (`smallContextServer`) behind the same ports: the next turn meets its refusal.
 */
async function longChatBehindSmallServer(namesLimit: boolean) {
  const server = smallContextServer(2048, namesLimit)
  let fits = true
  const { ports } = setup(new ScriptedProvider((request) => (fits ? { tokens: ['y'.repeat(400)] } : server.reply(request))))
  for (let t = 0; t < 20; t++) {
    await takeTurn(ports, newRun({ runId: `seed-${t}`, sessionId: 's', prompt: `prompt ${t} ${'p'.repeat(390)}`, enqueuedAt: 0 }), freshStop())
  }
  fits = false
  return { server, ports }
}

describe('takeTurn', () => {
  it('B2: a server whose context is smaller than the settings say refuses the request; it is sent again with less history, fitted to the size it named', async () => {
    const { server, ports } = await longChatBehindSmallServer(true)
    const outcome = await takeTurn(ports, newRun({ runId: 'r', sessionId: 's', prompt: 'the newest prompt', enqueuedAt: 0 }), freshStop())

    expect(outcome).toMatchObject({ cancelled: false, text: expect.stringContaining('answer 2 ') })
    expect(server.sent).toHaveLength(2)
    const [refused, accepted] = server.sent
    expect(accepted?.messages.length).toBeLessThan(refused?.messages.length ?? 0)
    // The newest prompt is still last, the conversation still starts with the user, and the answer's room shrank too.
    expect(accepted?.messages.at(-1)?.content).toBe('the newest prompt')
    expect(accepted?.messages[0]?.role).toBe('user')
    expect(accepted?.maxTokens).toBeLessThanOrEqual(256)

    // The next turn starts from the size the server took: no refusal first.
    const next = await takeTurn(ports, newRun({ runId: 'r-next', sessionId: 's', prompt: 'and another', enqueuedAt: 0 }), freshStop())
    expect(next).toMatchObject({ cancelled: false, text: expect.stringContaining('answer 3 ') })
    expect(server.sent).toHaveLength(3)
  })

  it('B2: with no size named, the context is halved until the server takes it', async () => {
    const { server, ports } = await longChatBehindSmallServer(false)
    const outcome = await takeTurn(ports, newRun({ runId: 'r', sessionId: 's', prompt: 'the newest prompt', enqueuedAt: 0 }), freshStop())

    expect(outcome).toMatchObject({ cancelled: false, text: expect.stringContaining('answer 3 ') })
    expect(server.sent.map((request) => request.messages.length)).toEqual([...server.sent.map((request) => request.messages.length)].sort((a, b) => b - a))
  })

  it('B2: a prompt too long for the server alone fails after a few smaller tries, saying so; other refusals are not tried again', async () => {
    const server = smallContextServer(2048, true)
    const provider = new ScriptedProvider(server.reply)
    const { ports } = setup(provider)
    const outcome = await takeTurn(ports, newRun({ runId: 'r', sessionId: 's', prompt: 'q'.repeat(10_000), enqueuedAt: 0 }), freshStop())
    expect(outcome).toMatchObject({ cancelled: false, error: expect.stringContaining('the newest prompt may be too long') })
    expect(server.sent.length).toBeGreaterThan(1)
    expect(server.sent.length).toBeLessThanOrEqual(4)

    const other = new ScriptedProvider(() => ({ error: new ProviderError({ kind: 'bad_request', status: 400, message: 'model "m" not found' }) }))
    const { ports: plain } = setup(other)
    const failed = await takeTurn(plain, newRun({ runId: 'r2', sessionId: 's', prompt: 'hi', enqueuedAt: 0 }), freshStop())
    expect(failed).toMatchObject({ error: expect.not.stringContaining('too long') })
    expect(other.streams).toBe(1)
  })

  it('B2 over HTTP: LM Studio refusing inside a 200 stream ("Input does not fit in context length …") is sent again fitted to the size it named, and answered', async () => {
    const server = await startScriptedServer()
    try {
      const { ports, history } = setup(new OpenAIProvider({ id: 'local', kind: 'openai', name: 'LM Studio', baseUrl: server.url }))
      server.setDefault({ text: 'y'.repeat(400) })
      for (let t = 0; t < 20; t++) {
        await takeTurn(ports, newRun({ runId: `seed-${t}`, sessionId: 's', prompt: `prompt ${t} ${'p'.repeat(390)}`, enqueuedAt: 0 }), freshStop())
      }
      server.limitContext(2048, 'lm-studio-stream')
      server.setDefault({ text: 'the fitted answer' })
      const outcome = await takeTurn(ports, newRun({ runId: 'r', sessionId: 's', prompt: 'the newest prompt', enqueuedAt: 0 }), freshStop())

      expect(outcome).toMatchObject({ cancelled: false, text: 'the fitted answer' })
      const asked = server.requests.filter((r) => r.path === '/v1/chat/completions').slice(-2)
      const sizes = asked.map((r) => JSON.stringify((r.body as { messages: unknown[] }).messages).length / 4)
      expect(sizes[0]).toBeGreaterThan(2048)
      expect(sizes[1]).toBeLessThanOrEqual(2048)
      expect(history.messages('s').at(-1)).toMatchObject({ role: 'assistant', finishReason: 'end_turn' })
    } finally {
      await server.close()
    }
  })

  it('B2 over HTTP: the context each engine says it serves the model with sizes every request, with no refusal first (Ollama truncates silently instead of refusing)', async () => {
    const engines: ServedContextOption[] = [
      { engine: 'llama.cpp', size: 2048 },
      { engine: 'ollama', size: 2048, loadedByFirstAnswer: true },
      { engine: 'vllm', size: 2048 },
      { engine: 'lm-studio', size: 2048, loadedByFirstAnswer: true }
    ]
    for (const served of engines) {
      const server = await startScriptedServer({ models: ['m'], servedContext: served })
      try {
        const config = { id: 'local', kind: 'openai' as const, name: served.engine, baseUrl: server.url }
        const { ports } = setup(new OpenAIProvider(config))
        ports.servedContexts = new ServedContexts(() => config, (c, model) => servedContext(c, model))
        server.setDefault({ text: 'y'.repeat(400) })
        for (let t = 0; t < 20; t++) {
          await takeTurn(ports, newRun({ runId: `seed-${t}`, sessionId: 's', prompt: `prompt ${t} ${'p'.repeat(390)}`, enqueuedAt: 0 }), freshStop())
        }
        const sizes = server.requests
          .filter((r) => r.path === '/v1/chat/completions')
          .map((r) => JSON.stringify((r.body as { messages: unknown[] }).messages).length / 4)
        expect(sizes, served.engine).toHaveLength(20)
        // The chat outgrew the server's 2,048 tokens halfway; no request held more.
        expect(Math.max(...sizes), served.engine).toBeLessThanOrEqual(2048)
        expect(Math.max(...sizes), served.engine).toBeGreaterThan(1024)
      } finally {
        await server.close()
      }
    }
  })

  it('B2 over HTTP: after a context refusal the server is asked its size again (restarted with a smaller -c), and the next turn fits it at once', async () => {
    const server = await startScriptedServer({ models: ['m'], servedContext: { engine: 'llama.cpp', size: 8192 } })
    try {
      const config = { id: 'local', kind: 'openai' as const, name: 'llama.cpp', baseUrl: server.url }
      const { ports } = setup(new OpenAIProvider(config))
      ports.servedContexts = new ServedContexts(() => config, (c, model) => servedContext(c, model))
      server.setDefault({ text: 'y'.repeat(400) })
      for (let t = 0; t < 20; t++) {
        await takeTurn(ports, newRun({ runId: `seed-${t}`, sessionId: 's', prompt: `prompt ${t} ${'p'.repeat(390)}`, enqueuedAt: 0 }), freshStop())
      }
      const asked = () => server.requests.filter((r) => r.path === '/props').length
      expect(asked()).toBe(1)
      server.serveContext({ engine: 'llama.cpp', size: 2048 })
      server.limitContext(2048)
      const completions = () => server.requests.filter((r) => r.path === '/v1/chat/completions').length
      const before = completions()
      expect(await takeTurn(ports, newRun({ runId: 'r', sessionId: 's', prompt: 'refused first', enqueuedAt: 0 }), freshStop())).toMatchObject({ cancelled: false })
      expect(completions() - before).toBe(2)
      expect(await takeTurn(ports, newRun({ runId: 'r2', sessionId: 's', prompt: 'fits at once', enqueuedAt: 0 }), freshStop())).toMatchObject({ cancelled: false })
      expect(asked()).toBe(2)
      expect(completions() - before).toBe(3)
    } finally {
      await server.close()
    }
  })

  it('C6 over HTTP: a request Ollama or LM Studio holds while it loads the model says so (run.loading) before the answer; the next, answered at once, says nothing', async () => {
    for (const engine of ['ollama', 'lm-studio'] as const) {
      const server = await startScriptedServer({ models: ['m'], loadOnFirstAnswer: { engine, ms: 1500 } })
      try {
        const config = { id: 'local', kind: 'openai' as const, name: engine, baseUrl: server.url }
        const { ports, events } = setup(new OpenAIProvider(config))
        ports.loadingIntoMemory = {
          waitMs: 100,
          ask: async (_providerId, model, signal) => {
            const said = await loadingIntoMemory(config, model, { signal, secondLookMs: 100 })
            return said === undefined ? undefined : loadingIntoMemorySentence(said, model)
          }
        }
        server.setDefault({ text: 'hello' })
        const first = await takeTurn(ports, newRun({ runId: 'r1', sessionId: 's', prompt: 'hi', enqueuedAt: 0 }), freshStop())
        expect(first, engine).toMatchObject({ cancelled: false, text: 'hello' })
        const said = events.filter((event) => event.type === 'run.loading' || (event.type === 'message.created' && event.message.role === 'assistant'))
        const name = engine === 'ollama' ? 'Ollama' : 'LM Studio'
        expect(said.map((event) => event.type), engine).toEqual(['run.loading', 'message.created'])
        expect(said[0], engine).toMatchObject({ runId: 'r1', sessionId: 's', detail: `${name} is loading m into memory (the first answer after a start takes longer).` })

        const before = events.length
        await takeTurn(ports, newRun({ runId: 'r2', sessionId: 's', prompt: 'again', enqueuedAt: 0 }), freshStop())
        expect(events.slice(before).filter((event) => event.type === 'run.loading'), engine).toEqual([])
      } finally {
        await server.close()
      }
    }
  })

  it('C5 over HTTP: an Ollama stream that stops with no finish and no [DONE] keeps its text and finishes as an error, not as done', async () => {
    const server = await startScriptedServer()
    try {
      const { ports, history } = setup(new OpenAIProvider({ id: 'local', kind: 'openai', name: 'Ollama', baseUrl: server.url }))
      server.script({ tokens: ['half ', 'an ', 'answer'], fault: { type: 'unfinished', afterTokens: 2 } })
      const outcome = await takeTurn(ports, newRun({ runId: 'r', sessionId: 's', prompt: 'hi', enqueuedAt: 0 }), freshStop())

      expect(outcome).toMatchObject({ cancelled: false, text: 'half an ', error: expect.stringContaining('the answer stopped before the server finished it') })
      expect(history.messages('s').at(-1)).toMatchObject({ role: 'assistant', finishReason: 'error' })
    } finally {
      await server.close()
    }
  })

  it('B1, E1: writes the user message before the model is called, tells the titles, and returns the answer', async () => {
    const provider = new ScriptedProvider(() => ({ tokens: ['hel', 'lo'] }))
    const { ports, history, events, firstPrompts } = setup(provider)
    const run = newRun({ runId: 'r1', sessionId: 's', prompt: ' hi ', enqueuedAt: 0 })

    const outcome = await takeTurn(ports, run, freshStop())

    expect(outcome).toEqual({ messageId: 'id-2', text: 'hello', cancelled: false })
    expect(run.userMessage?.id).toBe('id-1')
    expect(firstPrompts).toEqual(['s: hi'])
    expect(events.map((e) => e.type).slice(0, 2)).toEqual(['message.created', 'message.created'])
    expect(history.messages('s').map((m) => `${m.role}:${m.parentId ?? null}`)).toEqual(['user:null', 'assistant:id-1'])
  })

  it('H3: a Retry answers its prompt again and writes no user message of its own', async () => {
    const provider = new ScriptedProvider(() => ({ tokens: ['again'] }))
    const { ports, history, firstPrompts } = setup(provider)
    const first = newRun({ runId: 'r1', sessionId: 's', prompt: 'hi', enqueuedAt: 0 })
    await takeTurn(ports, first, freshStop())
    const prompt = first.userMessage?.id ?? ''

    const retry = newRun({ runId: 'r2', sessionId: 's', prompt: 'hi', enqueuedAt: 0, retryOf: prompt })
    const outcome = await takeTurn(ports, retry, freshStop())

    expect(outcome).toMatchObject({ text: 'again', cancelled: false })
    expect(history.messages('s').filter((m) => m.role === 'user')).toHaveLength(1)
    expect(firstPrompts).toHaveLength(1)
  })

  it('C3: an unreachable provider before the first token is a wait, with no assistant message kept', async () => {
    const provider = new ScriptedProvider(() => ({ error: new ProviderError({ kind: 'unreachable', message: 'ECONNREFUSED' }) }))
    const { ports, history, reachability } = setup(provider)
    const run = newRun({ runId: 'r1', sessionId: 's', prompt: 'hi', enqueuedAt: 0 })

    const outcome = await takeTurn(ports, run, freshStop())

    expect(outcome).toMatchObject({ wait: 'unreachable', providerId: 'local' })
    expect(history.messages('s').map((m) => m.role)).toEqual(['user'])
    // The run keeps its user message, so the next try writes none.
    expect(run.userMessage?.id).toBe('id-1')
    expect(reachability.heard).toEqual([])
  })

  it("C6: a loading server's limit counts from the run's first loading answer, across tries", async () => {
    const provider = new ScriptedProvider(() => ({ error: new ProviderError({ kind: 'server', status: 503, message: 'loading' }) }))
    const clock = { now: 1000 }
    const { ports, reachability } = setup(provider, clock)
    const run = newRun({ runId: 'r1', sessionId: 's', prompt: 'hi', enqueuedAt: 0 })

    expect(await takeTurn(ports, run, freshStop())).toMatchObject({ wait: 'loading' })
    expect(run.loadingSince).toBe(1000)
    clock.now = 1000 + 59_999
    expect(await takeTurn(ports, run, freshStop())).toMatchObject({ wait: 'loading' })
    clock.now = 1000 + 60_000
    const outcome = await takeTurn(ports, run, freshStop())

    expect(outcome).toMatchObject({ cancelled: false, error: expect.stringMatching(/still loading/) })
    expect(reachability.heard).toEqual(['stopped local'])
    expect(provider.streams).toBe(3)
  })

  it('D5, D6: a turn stopped before the model answered ends canceled for a cancel, interrupted for a quit', async () => {
    const provider = new ScriptedProvider(() => ({ tokens: ['never'] }))
    const { ports, history } = setup(provider)
    const cancelled = freshStop()
    cancelled.controller.abort()
    const quit: TurnStop = { controller: new AbortController(), stopReason: 'shutdown' }
    quit.controller.abort()

    const a = await takeTurn(ports, newRun({ runId: 'r1', sessionId: 's', prompt: 'a', enqueuedAt: 0 }), cancelled)
    const b = await takeTurn(ports, newRun({ runId: 'r2', sessionId: 's', prompt: 'b', enqueuedAt: 0 }), quit)

    expect(a).toMatchObject({ text: '', cancelled: true })
    expect(b).toMatchObject({ text: '', cancelled: false, error: 'interrupted' })
    expect(provider.streams).toBe(0)
    expect(history.messages('s').map((m) => `${m.role}:${m.finishReason ?? ''}`)).toEqual([
      'user:',
      'assistant:canceled',
      'user:',
      'assistant:interrupted'
    ])
  })
})
