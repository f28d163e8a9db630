import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedServer, type ScriptedServer, type ScriptedServerOptions } from '../../../../e2e/fixtures/scripted-server'
import type { ProviderConfig } from '../../../shared'
import { loadingIntoMemory, loadingIntoMemorySentence, modelLoading, modelsInMemory, type HealthFetch } from './model-loading'
import type { FetchLike } from './model-vision'

const servers: ScriptedServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serving(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const server = await startScriptedServer({ models: ['llama3.2'], ...options })
  servers.push(server)
  return server
}

const openai = (baseUrl: string): ProviderConfig => ({ id: 'local', kind: 'openai', name: 'Local', baseUrl })

/** Sends a completion request for the model and doesn't wait for it (the server holds it while it "loads"). */
function prompt(server: ScriptedServer, model = 'llama3.2'): void {
  void fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) })
    .then((response) => response.text())
    .catch(() => undefined)
}

describe('modelLoading', () => {
  it("C6: says a local server that lists its models is still loading one, in the server's words, and nothing once it has", async () => {
    const server = await serving()
    server.loadModelFor(60_000)
    expect(await modelLoading(server.url)).toBe('Loading model')
    // Asked at the server's root, as llama.cpp serves it.
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /health'])
    server.loadModelFor(0)
    expect(await modelLoading(server.url)).toBeUndefined()
  })

  it('C6: a server without a health check, one that fails, or a hosted API is not loading (and a hosted API is never asked)', async () => {
    let asked = 0
    const answering = (status: number, body: unknown): HealthFetch => async () => {
      asked += 1
      return { status, json: async () => body }
    }
    expect(await modelLoading('http://127.0.0.1:11434/v1', { fetchImpl: answering(404, {}) })).toBeUndefined()
    expect(await modelLoading('http://127.0.0.1:11434/v1', { fetchImpl: answering(503, 'not json') })).toBe('Loading model')
    const failing: HealthFetch = async () => Promise.reject(new Error('refused'))
    expect(await modelLoading('http://127.0.0.1:11434/v1', { fetchImpl: failing })).toBeUndefined()
    asked = 0
    expect(await modelLoading('https://api.openai.com/v1', { fetchImpl: answering(503, {}) })).toBeUndefined()
    expect(asked).toBe(0)
  })
})

describe('loadingIntoMemory', () => {
  it('C6: Ollama: a model /api/ps does not list is being loaded; a listed one whose expires_at moves with the clock still is; once it has answered, nothing', async () => {
    const server = await serving({ loadOnFirstAnswer: { engine: 'ollama', ms: 60_000 } })
    const asked = () => server.requests.filter((request) => request.method === 'GET').map((request) => request.path)
    // Not listed (no request has come for it yet): what a request waiting on it is loading.
    expect(await loadingIntoMemory(openai(server.url), 'llama3.2', { secondLookMs: 100 })).toBe('Ollama')
    expect(asked()).toEqual(['/api/ps', '/api/v0/models/llama3.2'])
    // The request came: Ollama lists "llama3.2:latest" while it loads, with an expires_at of "now + keep_alive".
    prompt(server)
    await server.waitForRequests(3)
    expect(await loadingIntoMemory(openai(server.url), 'llama3.2', { secondLookMs: 100 })).toBe('Ollama')
    expect(await loadingIntoMemory(openai(server.url), 'llama3.2:latest', { secondLookMs: 100 })).toBe('Ollama')
    // Loaded, and its first answer over: the expires_at stays put.
    // (A server started again: the held request still waits; the next one loads the model at once and is answered.)
    server.loadOnFirstAnswer({ engine: 'ollama', ms: 0 })
    prompt(server)
    await waitFor(() => server.finished.length >= 1)
    expect(await loadingIntoMemory(openai(server.url), 'llama3.2', { secondLookMs: 100 })).toBeUndefined()
  })

  it('C6: LM Studio: a model whose state is not "loaded" is being loaded (JIT); once loaded, nothing', async () => {
    const server = await serving({ loadOnFirstAnswer: { engine: 'lm-studio', ms: 60_000 } })
    expect(await loadingIntoMemory(openai(server.url), 'llama3.2')).toBe('LM Studio')
    prompt(server)
    await server.waitForRequests(3)
    expect(await loadingIntoMemory(openai(server.url), 'llama3.2')).toBe('LM Studio')
    server.loadOnFirstAnswer({ engine: 'lm-studio', ms: 0 })
    prompt(server)
    await waitFor(() => server.finished.length >= 1)
    expect(await loadingIntoMemory(openai(server.url), 'llama3.2')).toBeUndefined()
    expect(server.requests.some((request) => request.path === '/api/v0/models/llama3.2')).toBe(true)
  })

  it('C6: Ollama listing another model only is loading this one; listing this one with a fixed expires_at is not', async () => {
    const ps = (models: unknown[]): FetchLike => async (url) =>
      url.endsWith('/api/ps') ? { ok: true, json: async () => ({ models }) } : { ok: false, json: async () => ({}) }
    const loaded = { name: 'llama3.2:latest', model: 'llama3.2:latest', expires_at: '2026-12-06T10:00:00.123456789Z', context_length: 4096 }
    const other = { ...loaded, name: 'qwen3:8b', model: 'qwen3:8b' }
    expect(await loadingIntoMemory(openai('http://127.0.0.1:11434/v1'), 'llama3.2', { fetchImpl: ps([other]), secondLookMs: 1 })).toBe('Ollama')
    expect(await loadingIntoMemory(openai('http://127.0.0.1:11434/v1'), 'llama3.2', { fetchImpl: ps([loaded]), secondLookMs: 1 })).toBeUndefined()
    // An older Ollama without expires_at: listed, so nothing can be said.
    expect(await loadingIntoMemory(openai('http://127.0.0.1:11434/v1'), 'llama3.2', { fetchImpl: ps([{ name: 'llama3.2:latest' }]), secondLookMs: 1 })).toBeUndefined()
  })

  it('C6: a server that answers 404, 200 with an error, garbage or not at all says nothing, and throws nothing; a hosted API and Anthropic are never asked', async () => {
    const plain = await serving()
    expect(await loadingIntoMemory(openai(plain.url), 'llama3.2')).toBeUndefined()
    // LM Studio's answer to a route it doesn't have: 200 with an error.
    const unknown200 = await serving({ unknownRoutesAnswer200: true })
    expect(await loadingIntoMemory(openai(unknown200.url), 'llama3.2')).toBeUndefined()
    const garbage = [{ models: 'none' }, { models: [{ name: 7 }] }, { state: 5 }, [], null, 'Loading model']
    for (const body of garbage) {
      const answering: FetchLike = async () => ({ ok: true, json: async () => body })
      expect(await loadingIntoMemory(openai('http://127.0.0.1:11434/v1'), 'llama3.2', { fetchImpl: answering, secondLookMs: 1 }), JSON.stringify(body)).toBeUndefined()
    }
    const notJson: FetchLike = async () => ({ ok: true, json: async () => Promise.reject(new SyntaxError('Unexpected token')) })
    expect(await loadingIntoMemory(openai('http://127.0.0.1:11434/v1'), 'llama3.2', { fetchImpl: notJson })).toBeUndefined()
    const refused: FetchLike = async () => Promise.reject(new TypeError('fetch failed'))
    expect(await loadingIntoMemory(openai('http://127.0.0.1:11434/v1'), 'llama3.2', { fetchImpl: refused })).toBeUndefined()
    const hangs: FetchLike = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new Error('timeout'))))
    expect(await loadingIntoMemory(openai('http://127.0.0.1:11434/v1'), 'llama3.2', { fetchImpl: hangs, timeoutMs: 20 })).toBeUndefined()
    let asked = 0
    const counting: FetchLike = async () => {
      asked += 1
      return { ok: true, json: async () => ({ models: [] }) }
    }
    expect(await loadingIntoMemory(openai('https://api.openai.com/v1'), 'gpt-4o', { fetchImpl: counting })).toBeUndefined()
    expect(await loadingIntoMemory({ id: 'a', kind: 'anthropic', name: 'Anthropic', baseUrl: 'http://127.0.0.1:9' }, 'claude', { fetchImpl: counting })).toBeUndefined()
    expect(asked).toBe(0)
  })

  it('C6: a question aborted (the first byte came) says nothing', async () => {
    const server = await serving({ loadOnFirstAnswer: { engine: 'ollama', ms: 60_000 } })
    prompt(server)
    await server.waitForRequests(1)
    const controller = new AbortController()
    const asking = loadingIntoMemory(openai(server.url), 'llama3.2', { secondLookMs: 60_000, signal: controller.signal })
    await server.waitForRequests(3)
    controller.abort()
    expect(await asking).toBeUndefined()
  })

  it('says which engine loads which model, in one sentence', () => {
    expect(loadingIntoMemorySentence('Ollama', 'llama3.2')).toBe('Ollama is loading llama3.2 into memory (the first answer after a start takes longer).')
    expect(loadingIntoMemorySentence('LM Studio', 'qwen3-8b')).toBe('LM Studio is loading qwen3-8b into memory (the first answer after a start takes longer).')
  })
})

describe('modelsInMemory', () => {
  it('C6: the models Ollama (/api/ps) or LM Studio (/api/v0/models, state "loaded") has in memory; nothing from another server or a hosted API', async () => {
    const ollama = await serving({ loadOnFirstAnswer: { engine: 'ollama', ms: 0 } })
    const lmStudio = await serving({ loadOnFirstAnswer: { engine: 'lm-studio', ms: 0 } })
    expect(await modelsInMemory(ollama.url)).toEqual([])
    expect(await modelsInMemory(lmStudio.url)).toEqual([])
    for (const server of [ollama, lmStudio]) {
      prompt(server)
      await waitFor(() => server.finished.length >= 1)
    }
    expect(await modelsInMemory(ollama.url)).toEqual(['llama3.2:latest'])
    expect(await modelsInMemory(lmStudio.url)).toEqual(['llama3.2'])
    expect(await modelsInMemory((await serving()).url)).toBeUndefined()
    expect(await modelsInMemory((await serving({ unknownRoutesAnswer200: true })).url)).toBeUndefined()
    let asked = 0
    const counting: FetchLike = async () => {
      asked += 1
      return { ok: true, json: async () => ({ models: [] }) }
    }
    expect(await modelsInMemory('https://api.openai.com/v1', { fetchImpl: counting })).toBeUndefined()
    expect(asked).toBe(0)
  })
})

/** Resolves once the check holds (asked every 20 ms, for at most 5 s). */
async function waitFor(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('waited 5 s in vain')
}
