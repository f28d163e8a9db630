import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../../../shared'
import { formOf, modelOfValue, modelValue, patchOf, pickerModels, shownModel } from './chat-options'

const settings = defaultSettings()

describe('shownModel', () => {
  it('is the default without a choice, the choice while its provider is configured, and the default after it is removed', () => {
    expect(shownModel(undefined, settings)).toEqual({ kind: 'default', model: settings.models.large })
    const choice = { providerId: 'ollama', model: 'qwen3' }
    expect(shownModel({ model: choice }, settings)).toEqual({ kind: 'chosen', model: choice })
    const removed = { providerId: 'gone', model: 'x' }
    expect(shownModel({ model: removed }, settings)).toEqual({ kind: 'fallback', removed, model: settings.models.large })
  })
})

describe('pickerModels', () => {
  const listed = ['qwen2.5:7b', 'nomic-embed-text:latest', 'text-embedding-nomic-embed-text-v1.5', 'llama3.2']

  it('offers no embedding model', () => {
    expect(pickerModels(listed, undefined)).toEqual(['qwen2.5:7b', 'llama3.2'])
  })

  it('keeps the chat\'s own choice where it is listed, even one that looks like an embedding model', () => {
    expect(pickerModels(listed, 'nomic-embed-text:latest')).toEqual(['qwen2.5:7b', 'nomic-embed-text:latest', 'llama3.2'])
  })

  it('puts a choice the provider no longer lists first', () => {
    expect(pickerModels(listed, 'gone')).toEqual(['gone', 'qwen2.5:7b', 'llama3.2'])
  })
})

describe('model values', () => {
  it('round-trip, and "" is the default', () => {
    const model = { providerId: 'p', model: 'a "quoted", model' }
    expect(modelOfValue(modelValue(model))).toEqual(model)
    expect(modelValue(undefined)).toBe('')
    expect(modelOfValue('')).toBeNull()
  })
})

describe('the Advanced form', () => {
  it('turns empty fields into "back to the default" and typed ones into values', () => {
    expect(patchOf(formOf(undefined))).toEqual({ ok: true, patch: { systemPrompt: null, temperature: null, maxTokens: null } })
    expect(patchOf({ systemPrompt: 'Be brief.', temperature: '0.3', maxTokens: '200' })).toEqual({
      ok: true,
      patch: { systemPrompt: 'Be brief.', temperature: 0.3, maxTokens: 200 }
    })
    expect(formOf({ temperature: 0, maxTokens: 5, systemPrompt: 'x' })).toEqual({ systemPrompt: 'x', temperature: '0', maxTokens: '5' })
  })

  it('names what is wrong, as main would refuse it', () => {
    expect(patchOf({ systemPrompt: '', temperature: '2.5', maxTokens: '' })).toEqual({ ok: false, error: 'Temperature is a number from 0 to 2.' })
    expect(patchOf({ systemPrompt: '', temperature: 'hot', maxTokens: '' })).toMatchObject({ ok: false })
    expect(patchOf({ systemPrompt: '', temperature: '', maxTokens: '1.5' })).toEqual({
      ok: false,
      error: 'Max tokens is a whole number from 1 to 1,000,000.'
    })
    expect(patchOf({ systemPrompt: '', temperature: '', maxTokens: '0' })).toMatchObject({ ok: false })
  })
})
