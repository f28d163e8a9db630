import { describe, expect, it } from 'vitest'
import { canChat } from './can-chat'

describe('canChat', () => {
  it('leaves out the embedding and reranking models Ollama and LM Studio list', () => {
    expect(canChat('nomic-embed-text:latest')).toBe(false)
    expect(canChat('text-embedding-nomic-embed-text-v1.5')).toBe(false)
    expect(canChat('bge-reranker-v2-m3')).toBe(false)
  })

  it('keeps the models that chat', () => {
    expect(canChat('qwen2.5:7b')).toBe(true)
    expect(canChat('llama3.2')).toBe(true)
  })
})
