import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedServer, type ScriptedServer, type ServedContextOption } from '../../../../e2e/fixtures/scripted-server'
import type { ModelRef, ProviderConfig } from '../../../shared'
import type { FetchLike } from './model-vision'
import { onThisNetwork, ServedContexts, servedContext, servedContextKeepMs, withServedContext, type ServedAnswer } from './served-context'

const openai = (baseUrl: string): ProviderConfig => ({ id: 'local', kind: 'openai', name: 'Local', baseUrl })
const servers: ScriptedServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serving(servedContext?: ServedContextOption, models = ['qwen3-8b']): Promise<ScriptedServer> {
  const server = await startScriptedServer({ models, ...(servedContext ? { servedContext } : {}) })
  servers.push(server)
  return server
}

describe('servedContext over HTTP', () => {
  it("B2: reads the context each engine says it serves the model with (llama.cpp /props, Ollama /api/ps, vLLM /v1/models, LM Studio /api/v0/models/<id>)", async () => {
    const llamaCpp = await serving({ engine: 'llama.cpp', size: 4096 })
    const ollama = await serving({ engine: 'ollama', size: 4096 }, ['llama3.2:latest'])
    const vllm = await serving({ engine: 'vllm', size: 2048 })
    const lmStudio = await serving({ engine: 'lm-studio', size: 6144 })
    expect(await servedContext(openai(llamaCpp.url), 'qwen3-8b')).toEqual({ size: 4096 })
    // Ollama lists a model with its tag: "llama3.2" is "llama3.2:latest".
    expect(await servedContext(openai(ollama.url), 'llama3.2')).toEqual({ size: 4096 })
    expect(await servedContext(openai(vllm.url), 'qwen3-8b')).toEqual({ size: 2048 })
    expect(await servedContext(openai(lmStudio.url), 'qwen3-8b')).toEqual({ size: 6144 })
    // Asked where each engine answers: the native root for three, under /v1 for vLLM.
    expect(llamaCpp.requests.find((r) => r.path === '/props')?.method).toBe('GET')
    expect(ollama.requests.find((r) => r.path === '/api/ps')?.method).toBe('GET')
    expect(lmStudio.requests.some((r) => r.path === '/api/v0/models/qwen3-8b')).toBe(true)
  })

  it('B2: a server that says nothing, a model not listed, and the Anthropic API give no size', async () => {
    const plain = await serving()
    const vllm = await serving({ engine: 'vllm', size: 2048 })
    expect(await servedContext(openai(plain.url), 'qwen3-8b')).toEqual({ size: undefined })
    expect(await servedContext(openai(vllm.url), 'another-model')).toEqual({ size: undefined })
    const anthropic: ProviderConfig = { id: 'a', kind: 'anthropic', name: 'Anthropic', baseUrl: plain.origin }
    const before = plain.requests.length
    expect(await servedContext(anthropic, 'claude-sonnet-4-5')).toEqual({ size: undefined })
    expect(plain.requests.length).toBe(before)
  })

  it('B2: a model Ollama or LM Studio has not loaded yet is "not loaded" (LM Studio gives its maximum as a bound); once loaded, the size it runs with', async () => {
    const ollama = await serving({ engine: 'ollama', size: 4096, loadedByFirstAnswer: true })
    const lmStudio = await serving({ engine: 'lm-studio', size: 4096, loadedByFirstAnswer: true })
    expect(await servedContext(openai(ollama.url), 'qwen3-8b')).toEqual({ size: undefined, notLoaded: true })
    expect(await servedContext(openai(lmStudio.url), 'qwen3-8b')).toEqual({ size: 32_768, notLoaded: true })
    for (const server of [ollama, lmStudio]) await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{"model":"qwen3-8b","messages":[]}' })
    expect(await servedContext(openai(ollama.url), 'qwen3-8b')).toEqual({ size: 4096 })
    expect(await servedContext(openai(lmStudio.url), 'qwen3-8b')).toEqual({ size: 4096 })
  })

  it("B2: a server started with an API key (vLLM's --api-key) is asked with the provider's key", async () => {
    const server = await startScriptedServer({ models: ['qwen3-8b'], requireApiKey: 'sk-local', servedContext: { engine: 'vllm', size: 2048 } })
    servers.push(server)
    expect(await servedContext(openai(server.url), 'qwen3-8b')).toEqual({ size: undefined })
    expect(await servedContext(openai(server.url), 'qwen3-8b', { apiKey: 'sk-local' })).toEqual({ size: 2048 })
  })

  it('B2: a server that does not answer in time says nothing', async () => {
    const hangs: FetchLike = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new Error('timeout'))))
    const started = Date.now()
    expect(await servedContext(openai('http://127.0.0.1:9/v1'), 'm', { timeoutMs: 50, fetchImpl: hangs })).toEqual({ size: undefined })
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('onThisNetwork', () => {
  it('B2: only a server on this machine or its network is asked; a hosted API never is', () => {
    for (const local of ['http://127.0.0.1:11434/v1', 'http://localhost:8080/v1', 'http://[::1]:8000/v1', 'http://192.168.1.20:1234/v1', 'http://10.0.0.5:8000/v1', 'http://172.20.0.2:8000/v1', 'http://gpu-box:8080/v1', 'http://studio.local:1234/v1']) {
      expect(onThisNetwork(local), local).toBe(true)
    }
    for (const hosted of ['https://api.openai.com/v1', 'https://openrouter.ai/api/v1', 'https://8.8.8.8/v1', 'http://172.32.0.1/v1', 'not a url']) {
      expect(onThisNetwork(hosted), hosted).toBe(false)
    }
  })

  it('B2: a hosted API is not asked at all', async () => {
    const asked: string[] = []
    const fetchImpl = async (url: string) => {
      asked.push(url)
      return { ok: false, json: async () => ({}) }
    }
    expect(await servedContext({ id: 'o', kind: 'openai', name: 'OpenAI', baseUrl: 'https://api.openai.com/v1' }, 'gpt-4o', { fetchImpl })).toEqual({ size: undefined })
    expect(asked).toEqual([])
  })
})

describe('withServedContext', () => {
  const model: ModelRef = { providerId: 'local', model: 'm', contextWindow: 8192, maxOutputTokens: 2048 }
  it('B2: the smaller of the served size and the setting; the answer keeps its room unless it would take over half', () => {
    expect(withServedContext(model, undefined)).toBe(model)
    expect(withServedContext(model, 32_768)).toBe(model)
    expect(withServedContext(model, 4096)).toEqual({ ...model, contextWindow: 4096, maxOutputTokens: 2048 })
    expect(withServedContext(model, 2048)).toEqual({ ...model, contextWindow: 2048, maxOutputTokens: 512 })
  })
})

describe('ServedContexts', () => {
  const config = openai('http://127.0.0.1:1/v1')
  const signal = () => new AbortController().signal

  function counting(answers: (model: string, asked: number) => ServedAnswer | Promise<ServedAnswer>) {
    let asked = 0
    const ask = async (_config: ProviderConfig, model: string) => answers(model, ++asked)
    return { ask, asked: () => asked }
  }

  it('B2: asks once per provider and model, and again after a context refusal or for another model', async () => {
    const server = counting((model) => ({ size: model === 'a' ? 4096 : 2048 }))
    const served = new ServedContexts((id) => (id === config.id ? config : undefined), server.ask)
    expect(await served.size('local', 'a', signal())).toBe(4096)
    expect(await served.size('local', 'a', signal())).toBe(4096)
    expect(server.asked()).toBe(1)
    expect(await served.size('local', 'b', signal())).toBe(2048)
    expect(server.asked()).toBe(2)
    served.refused('local', 'a')
    expect(await served.size('local', 'a', signal())).toBe(4096)
    expect(server.asked()).toBe(3)
    expect(await served.size('missing', 'a', signal())).toBeUndefined()
  })

  it('B2: a turn waits at most a moment; a slow answer is kept for the next turn', async () => {
    let answer: (value: ServedAnswer) => void = () => {}
    const slow = new Promise<ServedAnswer>((resolve) => (answer = resolve))
    const server = counting(() => slow)
    const served = new ServedContexts(() => config, server.ask, { waitMs: 20 })
    const started = Date.now()
    expect(await served.size('local', 'a', signal())).toBeUndefined()
    expect(Date.now() - started).toBeLessThan(1000)
    answer({ size: 4096 })
    await slow
    await Promise.resolve()
    expect(await served.size('local', 'a', signal())).toBe(4096)
    expect(server.asked()).toBe(1)
  })

  it('B2: a model not loaded yet is asked again at the next turn; an old answer is used while the server is asked again', async () => {
    const clock = { now: 0 }
    const server = counting((_model, asked) => (asked === 1 ? { size: undefined, notLoaded: true } : { size: asked === 2 ? 4096 : 8000 }))
    const served = new ServedContexts(() => config, server.ask, { now: () => clock.now })
    expect(await served.size('local', 'a', signal())).toBeUndefined()
    expect(await served.size('local', 'a', signal())).toBe(4096)
    expect(server.asked()).toBe(2)
    clock.now += servedContextKeepMs
    // Past its time, the old answer still sizes this turn; the new one sizes the next.
    expect(await served.size('local', 'a', signal())).toBe(4096)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(server.asked()).toBe(3)
    expect(await served.size('local', 'a', signal())).toBe(8000)
  })
})
