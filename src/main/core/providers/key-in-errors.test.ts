import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { AnthropicProvider } from './anthropic-provider'
import { describeProviderError, ProviderError } from './errors'
import { OpenAIProvider } from './openai-provider'

let server: Server | undefined
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

/** A server that says back the key it was sent, as some proxies' error pages do. */
async function echoingServer(): Promise<string> {
  server = createServer((request, response) => {
    response.writeHead(401, { 'content-type': 'application/json' })
    const sent = String(request.headers.authorization ?? request.headers['x-api-key'] ?? '')
    response.end(JSON.stringify({ error: { message: `Key not valid: ${sent}`, type: 'invalid_request_error' } }))
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`
}

async function failureOf(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason
  )
  expect(error).toBeInstanceOf(ProviderError)
  return describeProviderError(error as ProviderError)
}

describe('a key never reaches an error sentence (issue 13, finding 6)', () => {
  it('OpenAI-compatible: a server that echoes the key back', async () => {
    const baseUrl = await echoingServer()
    const provider = new OpenAIProvider({ id: 'p', kind: 'openai', name: 'P', baseUrl }, 'sk-echoed-secret-123')
    const text = await failureOf(provider.listModels(AbortSignal.timeout(5000)))
    expect(text).toMatch(/Key not valid/)
    expect(text).not.toContain('sk-echoed-secret-123')
  })

  it('Anthropic: a server that echoes the key back', async () => {
    const baseUrl = await echoingServer()
    const provider = new AnthropicProvider({ id: 'a', kind: 'anthropic', name: 'A', baseUrl }, 'sk-ant-echoed-456789')
    const text = await failureOf(provider.listModels(AbortSignal.timeout(5000)))
    expect(text).not.toContain('sk-ant-echoed-456789')
  })

  it('a key with a line break (stored by an older Parley) is in no part of the sentence', async () => {
    const baseUrl = await echoingServer()
    const key = 'sk-first-line-123\nsecond-line-4567'
    const provider = new OpenAIProvider({ id: 'p', kind: 'openai', name: 'P', baseUrl }, key)
    const text = await failureOf(provider.listModels(AbortSignal.timeout(5000)))
    expect(text).not.toContain('sk-first-line-123')
    expect(text).not.toContain('second-line-4567')
  })
})
