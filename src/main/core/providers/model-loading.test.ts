import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedServer, type ScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import { modelLoading, type HealthFetch } from './model-loading'

const servers: ScriptedServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serving(): Promise<ScriptedServer> {
  const server = await startScriptedServer({ models: ['llama3.2'] })
  servers.push(server)
  return server
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
