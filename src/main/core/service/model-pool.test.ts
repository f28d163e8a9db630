import { describe, expect, it } from 'vitest'
import { settingsSchema } from '../../../shared'
import { chatModelRef } from './model-pool'

const settings = settingsSchema.parse({
  providers: [
    { id: 'local', kind: 'openai', name: 'Local', baseUrl: 'http://127.0.0.1:11434/v1' },
    { id: 'claude', kind: 'anthropic', name: 'Claude', baseUrl: 'https://api.anthropic.com' }
  ],
  models: { large: { providerId: 'local', model: 'llama', contextWindow: 4096, maxOutputTokens: 512 } }
})

describe('chatModelRef: the model a chat answers with', () => {
  it('is the settings\' large model when the chat chose none', () => {
    expect(chatModelRef(settings, undefined)).toEqual(settings.models.large)
  })

  it('is the chat\'s choice, with the large model\'s context window and answer room', () => {
    expect(chatModelRef(settings, { providerId: 'claude', model: 'claude-x' })).toEqual({
      providerId: 'claude',
      model: 'claude-x',
      contextWindow: 4096,
      maxOutputTokens: 512
    })
  })

  it('falls back to the large model when the chat\'s provider is no longer configured', () => {
    expect(chatModelRef(settings, { providerId: 'gone', model: 'x' })).toEqual(settings.models.large)
  })
})
