import { describe, expect, it } from 'vitest'
import { defaultSettings, type SettingsView } from '../../../shared'
import { answeringModelPatch, isOllama, pickModel, welcomeState } from './first-answer'

function view(change: Partial<SettingsView> = {}): SettingsView {
  return { ...defaultSettings(), apiKeys: {}, ...change }
}

const refused = { ok: false, message: "Parley couldn't reach the model server at http://127.0.0.1:11434/v1 (connection refused).", models: [] }

describe('the welcome screen', () => {
  it('guides to Ollama when the default Ollama is not running', () => {
    expect(welcomeState(view(), refused)).toMatchObject({ step: 'failed', ollama: true, message: refused.message })
  })

  it('knows Ollama by name on another port, and another server as not Ollama', () => {
    const elsewhere = view({ providers: [{ id: 'ollama', kind: 'openai', name: 'Ollama (local)', baseUrl: 'http://127.0.0.1:9/v1' }] })
    expect(welcomeState(elsewhere, refused)).toMatchObject({ step: 'failed', ollama: true })
    const other = view({ providers: [{ id: 'ollama', kind: 'openai', name: 'OpenAI-compatible server', baseUrl: 'http://127.0.0.1:9/v1' }] })
    expect(isOllama(other.providers[0])).toBe(false)
  })

  it('asks Ollama for a model when it lists none', () => {
    expect(welcomeState(view(), { ok: true, message: 'Connected', models: [] })).toMatchObject({ step: 'no-models', ollama: true, suggestedModel: 'llama3.2' })
  })

  it('keeps the configured model when offered, else picks the first', () => {
    expect(pickModel('llama3.2', ['qwen3', 'llama3.2:latest'])).toEqual({ model: 'llama3.2', picked: false })
    expect(pickModel('llama3.2', ['qwen3', 'gemma3'])).toEqual({ model: 'qwen3', picked: true })
    expect(pickModel('llama3.2', [])).toBeUndefined()
    // An embedding model is never picked to chat while the server offers one that can.
    expect(pickModel('llama3.2', ['nomic-embed-text:latest', 'text-embedding-bge-m3', 'qwen3'])).toEqual({ model: 'qwen3', picked: true })
    expect(pickModel('', ['nomic-embed-text'])).toEqual({ model: 'nomic-embed-text', picked: true })
    expect(welcomeState(view(), { ok: true, message: 'Connected', models: ['qwen3'] })).toMatchObject({ step: 'ready', model: 'qwen3', picked: true, listed: true })
  })

  it('keeps a model just chosen in Settings even when the server does not list it', () => {
    expect(welcomeState(view(), { ok: true, message: 'Connected', models: ['qwen3'] }, false)).toMatchObject({
      step: 'ready',
      model: 'llama3.2',
      picked: false,
      listed: false
    })
  })

  it('saves a picked model as the one that answers, keeping its limits on the same provider', () => {
    const settings = view()
    settings.models.large.contextWindow = 32_000
    expect(answeringModelPatch(settings, 'ollama', 'qwen3').models?.large).toEqual({ providerId: 'ollama', model: 'qwen3', contextWindow: 32_000, maxOutputTokens: 2048 })
    expect(answeringModelPatch(settings, 'openai', 'gpt-4.1').models?.large).toEqual({ providerId: 'openai', model: 'gpt-4.1', contextWindow: 8192, maxOutputTokens: 2048 })
  })

  it('C6: a model Ollama or LM Studio says it has not in memory is one its first answer loads; one in memory (llama3.2:latest) or a server that says nothing, not', () => {
    expect(welcomeState(view(), { ok: true, message: 'Connected', models: ['llama3.2:latest'], inMemory: [] })).toMatchObject({ step: 'ready', model: 'llama3.2', firstAnswerLoads: true })
    expect(welcomeState(view(), { ok: true, message: 'Connected', models: ['llama3.2:latest'], inMemory: ['qwen3:8b'] })).toMatchObject({ firstAnswerLoads: true })
    expect(welcomeState(view(), { ok: true, message: 'Connected', models: ['llama3.2:latest'], inMemory: ['llama3.2:latest'] })).not.toHaveProperty('firstAnswerLoads')
    expect(welcomeState(view(), { ok: true, message: 'Connected', models: ['llama3.2'] })).not.toHaveProperty('firstAnswerLoads')
    // The model kept after Settings (not offered) is the one asked about.
    expect(welcomeState(view(), { ok: true, message: 'Connected', models: ['qwen3'], inMemory: ['qwen3'] }, false)).toMatchObject({ model: 'llama3.2', firstAnswerLoads: true })
  })

  it('C6: a server that lists its models but is still loading one is not called ready without saying so', () => {
    const loading = welcomeState(view(), { ok: true, message: 'Connected', models: ['llama3.2'], loading: 'Loading model' })
    expect(loading).toMatchObject({ step: 'ready', model: 'llama3.2', loading: 'Loading model' })
    expect(welcomeState(view(), { ok: true, message: 'Connected', models: ['qwen3'], loading: 'Loading model' }, false)).toMatchObject({ loading: 'Loading model' })
    expect(welcomeState(view(), { ok: true, message: 'Connected', models: ['llama3.2'] })).not.toHaveProperty('loading')
  })
})
