import { describe, expect, it } from 'vitest'
import { providerConfigSchema } from '../../../shared'
import { freeProviderId, keyNeedText, presetById, presetFor, providerPresets } from './provider-presets'

describe('provider presets', () => {
  it('cover the servers people have, each with a valid URL except the custom one', () => {
    expect(providerPresets.map((p) => p.id)).toEqual([
      'ollama',
      'lm-studio',
      'llama-cpp',
      'vllm',
      'jan',
      'koboldcpp',
      'text-generation-webui',
      'openai',
      'anthropic',
      'openrouter',
      'custom'
    ])
    for (const preset of providerPresets) {
      if (preset.id === 'custom') continue
      expect(providerConfigSchema.safeParse({ id: preset.id, kind: preset.kind, name: preset.name, baseUrl: preset.baseUrl }).success, preset.id).toBe(true)
    }
    expect(presetById('anthropic')).toMatchObject({ kind: 'anthropic', key: 'required' })
    expect(presetById('ollama')).toMatchObject({ local: true, key: 'none' })
  })

  it('say whether a key is needed', () => {
    expect(keyNeedText('none')).toMatch(/no api key/i)
    expect(keyNeedText('required')).toMatch(/needs an api key/i)
  })

  it('give a new provider an id that is not taken', () => {
    expect(freeProviderId('openai', [])).toBe('openai')
    expect(freeProviderId('openai', ['openai', 'openai-2'])).toBe('openai-3')
  })
})

describe('the preset a saved provider looks like', () => {
  it('is found by its address, however it is written', () => {
    expect(presetFor({ kind: 'openai', name: 'Mine', baseUrl: 'http://localhost:11434/v1/' })?.id).toBe('ollama')
    expect(presetFor({ kind: 'anthropic', name: 'Claude', baseUrl: 'https://api.anthropic.com' })?.id).toBe('anthropic')
  })

  it('or by its name when it runs elsewhere', () => {
    expect(presetFor({ kind: 'openai', name: 'Ollama (local)', baseUrl: 'http://127.0.0.1:9/v1' })?.id).toBe('ollama')
    expect(presetFor({ kind: 'openai', name: 'OpenAI-compatible server', baseUrl: 'http://127.0.0.1:9/v1' })).toBeUndefined()
    expect(presetFor({ kind: 'openai', name: 'Ollama', baseUrl: '' })?.id).toBe('ollama')
  })
})
