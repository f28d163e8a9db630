import { describe, expect, it } from 'vitest'
import { defaultSettings, type ProviderTarget, type ProviderTest, type SettingsPatch, type SettingsView } from '../../../shared'
import { presetById } from '../settings/provider-presets'
import { answerWith, draftWithPreset, findLocalServers, localCandidates, type FoundServer } from './local-servers'

const fresh = (): SettingsView => ({ ...defaultSettings(), apiKeys: {} })

describe('looking for local servers when the one that answers does not', () => {
  it('looks at every local preset at its usual port but the address already checked', () => {
    const ollama = defaultSettings().providers[0]?.baseUrl
    const names = localCandidates(ollama).map((candidate) => candidate.preset.id)
    expect(names).toEqual(['lm-studio', 'llama-cpp', 'vllm', 'jan', 'koboldcpp', 'text-generation-webui'])
    expect(localCandidates('http://127.0.0.1:1234/v1/').map((candidate) => candidate.preset.id)).toEqual([
      'ollama',
      'llama-cpp',
      'vllm',
      'jan',
      'koboldcpp',
      'text-generation-webui'
    ])
    // A test's addresses replace the usual ones, and only those are looked at.
    expect(localCandidates(undefined, { 'llama-cpp': 'http://127.0.0.1:9/v1' })).toEqual([{ preset: presetById('llama-cpp'), baseUrl: 'http://127.0.0.1:9/v1' }])
  })

  it('offers the servers that answer with a model, as each answers; down, failing or empty ones are left out', async () => {
    const answers: Record<string, () => Promise<ProviderTest>> = {
      'http://127.0.0.1:1234/v1': () => Promise.resolve({ ok: true, message: 'Connected', models: ['qwen2.5-7b-instruct'] }),
      'http://127.0.0.1:8080/v1': () => Promise.resolve({ ok: false, message: 'connection refused', models: [] }),
      'http://127.0.0.1:8000/v1': () => Promise.resolve({ ok: true, message: 'Connected', models: [] }),
      'http://127.0.0.1:11434/v1': () => Promise.reject(new Error('bridge closed')),
      'http://127.0.0.1:1337/v1': () => Promise.resolve({ ok: false, message: 'connection refused', models: [] }),
      'http://127.0.0.1:5001/v1': () => Promise.resolve({ ok: true, message: 'Connected', models: ['koboldcpp/Llama-3.2-3B'] }),
      'http://127.0.0.1:5000/v1': () => Promise.resolve({ ok: false, message: 'connection refused', models: [] })
    }
    const asked: ProviderTarget[] = []
    const found: FoundServer[] = []
    await findLocalServers(
      localCandidates(undefined),
      (target) => {
        asked.push(target)
        return answers[target.baseUrl]?.() ?? Promise.reject(new Error('unexpected'))
      },
      (server) => found.push(server)
    )
    expect(asked).toHaveLength(7)
    expect(found.map((server) => [server.preset.id, server.baseUrl, server.models])).toEqual([
      ['lm-studio', 'http://127.0.0.1:1234/v1', ['qwen2.5-7b-instruct']],
      ['koboldcpp', 'http://127.0.0.1:5001/v1', ['koboldcpp/Llama-3.2-3B']]
    ])
  })

  it('makes a found server the one that answers, with its first chat model, reusing a provider from the same preset', async () => {
    const patches: SettingsPatch[] = []
    const api = {
      updateSettings: (patch: SettingsPatch) => {
        patches.push(patch)
        return Promise.resolve({ ...fresh(), ...patch } as SettingsView)
      }
    }
    const lmStudio = presetById('lm-studio')
    if (!lmStudio) throw new Error('preset')
    const server = { preset: lmStudio, baseUrl: 'http://127.0.0.1:4321/v1', models: ['text-embedding-nomic-embed-text-v1.5', 'qwen2.5-7b-instruct'] }
    const saved = await answerWith(api, fresh(), { ...draftWithPreset(fresh(), server.preset, server.baseUrl), name: 'LM Studio' }, server.models)
    expect('view' in saved).toBe(true)
    const providers = patches.flatMap((patch) => patch.providers ?? [])
    expect(providers.find((provider) => provider.id === 'lm-studio')).toMatchObject({ baseUrl: 'http://127.0.0.1:4321/v1', kind: 'openai' })
    expect(patches.at(-1)?.models?.large).toMatchObject({ providerId: 'lm-studio', model: 'qwen2.5-7b-instruct' })
    // Already there (chosen before): edited, not added twice.
    const withIt = { ...fresh(), providers: [...fresh().providers, { id: 'lm-studio', kind: 'openai' as const, name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' }] }
    const again = draftWithPreset(withIt, lmStudio, 'http://127.0.0.1:4321/v1')
    expect(again.providerId).toBe('lm-studio')
    expect(again.draft.providers.filter((provider) => provider.presetId === 'lm-studio' || provider.id === 'lm-studio')).toHaveLength(1)
    expect(again.draft.providers.find((provider) => provider.id === 'lm-studio')?.baseUrl).toBe('http://127.0.0.1:4321/v1')
    // Nothing to answer with: said, nothing saved.
    patches.length = 0
    expect(await answerWith(api, fresh(), { ...draftWithPreset(fresh(), lmStudio), name: 'LM Studio' }, [])).toEqual({
      error: 'LM Studio answers but lists no models: load or pull one there, then try again.'
    })
    expect(patches).toEqual([])
  })
})
