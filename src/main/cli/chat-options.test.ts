import { describe, expect, it } from 'vitest'
import { chatModelFrom, optionsPatch } from './chat-options'

const settings = {
  providers: [
    { id: 'ollama', name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
    { id: 'openrouter', name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1' }
  ],
  models: { large: { providerId: 'ollama', model: 'llama3.2' } }
}

describe('--model and --system', () => {
  it('--model is NAME on the large model\'s provider, or PROVIDER/NAME when PROVIDER is configured', () => {
    expect(chatModelFrom('qwen3:8b', settings)).toEqual({ providerId: 'ollama', model: 'qwen3:8b' })
    expect(chatModelFrom('openrouter/openai/gpt-4o', settings)).toEqual({ providerId: 'openrouter', model: 'openai/gpt-4o' })
    expect(chatModelFrom('openai/gpt-4o', settings)).toEqual({ providerId: 'ollama', model: 'openai/gpt-4o' })
  })

  it('become the chat\'s options patch, or none', () => {
    expect(optionsPatch(null, null)).toBeNull()
    expect(optionsPatch({ providerId: 'ollama', model: 'm' }, null)).toEqual({ model: { providerId: 'ollama', model: 'm' } })
    expect(optionsPatch(null, '')).toEqual({ systemPrompt: '' })
  })
})
