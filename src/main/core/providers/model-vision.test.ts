import { describe, expect, it } from 'vitest'
import { startScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import type { ProviderConfig } from '../../../shared'
import { supportsPdfDocuments } from './anthropic-provider'
import { modelVision, nativeRoot, type FetchLike } from './model-vision'

const anthropic: ProviderConfig = { id: 'a', kind: 'anthropic', name: 'Anthropic', baseUrl: 'https://api.anthropic.com' }
const openai = (baseUrl: string): ProviderConfig => ({ id: 'o', kind: 'openai', name: 'O', baseUrl })
const notOllama: FetchLike = async () => ({ ok: false, json: async () => ({}) })

describe('modelVision', () => {
  it('Claude 3 and later read images; Claude 2 and Instant do not', async () => {
    expect(await modelVision(anthropic, 'claude-3-haiku-20240307')).toBe('yes')
    expect(await modelVision(anthropic, 'claude-sonnet-4-5')).toBe('yes')
    expect(await modelVision(anthropic, 'claude-2.1')).toBe('no')
    expect(await modelVision(anthropic, 'claude-instant-1.2')).toBe('no')
  })

  it('an OpenAI-compatible server that is not Ollama: OpenAI’s own vision families, else unknown', async () => {
    expect(await modelVision(openai('https://api.openai.com/v1'), 'gpt-4o-mini', notOllama)).toBe('yes')
    expect(await modelVision(openai('https://api.openai.com/v1'), 'gpt-3.5-turbo', notOllama)).toBe('unknown')
    expect(await modelVision(openai('http://localhost:1234/v1'), 'some-model', notOllama)).toBe('unknown')
  })

  it("issue 14: llama.cpp's server says it in GET /props (`modalities.vision`), LM Studio in GET /api/v0/models/<model> (`type`: vlm or llm)", async () => {
    const llamaCpp = await startScriptedServer({ props: { vision: true } })
    const textOnly = await startScriptedServer({ props: { vision: false } })
    const lmStudio = await startScriptedServer({ lmStudioTypes: { 'qwen2-vl-7b-instruct': 'vlm', 'meta-llama-3.1-8b-instruct': 'llm', 'nomic-embed': 'embeddings' } })
    try {
      expect(await modelVision(openai(llamaCpp.url), 'gemma-3-4b-it')).toBe('yes')
      expect(await modelVision(openai(textOnly.url), 'qwen3-8b')).toBe('no')
      expect(await modelVision(openai(lmStudio.url), 'qwen2-vl-7b-instruct')).toBe('yes')
      expect(await modelVision(openai(lmStudio.url), 'meta-llama-3.1-8b-instruct')).toBe('no')
      expect(await modelVision(openai(lmStudio.url), 'nomic-embed')).toBe('unknown')
      expect(await modelVision(openai(lmStudio.url), 'not-downloaded')).toBe('unknown')
      expect(llamaCpp.requests.find((r) => r.path === '/props')?.method).toBe('GET')
    } finally {
      await Promise.all([llamaCpp.close(), textOnly.close(), lmStudio.close()])
    }
  })

  it('asks Ollama at its native root, not under /v1', () => {
    expect(nativeRoot('http://localhost:11434/v1')).toBe('http://localhost:11434')
    expect(nativeRoot('http://localhost:11434/v1/')).toBe('http://localhost:11434')
  })
})

describe('which Claude models take a PDF as a document block', () => {
  it('Claude 3.5 and later do; Claude 3 and older, and unknown names, get the text', () => {
    expect(supportsPdfDocuments('claude-3-5-sonnet-20241022')).toBe(true)
    expect(supportsPdfDocuments('claude-3-7-sonnet-latest')).toBe(true)
    expect(supportsPdfDocuments('claude-opus-4-1')).toBe(true)
    expect(supportsPdfDocuments('claude-3-opus-20240229')).toBe(false)
    expect(supportsPdfDocuments('claude-2.1')).toBe(false)
    expect(supportsPdfDocuments('llama3')).toBe(false)
  })
})
