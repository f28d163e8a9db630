import { describe, expect, it } from 'vitest'
import { defaultSettings, type SettingsPatch, type SettingsView } from '../../../shared'
import { presetById, type ProviderPreset } from './provider-presets'
import {
  addProvider,
  addProviderAt,
  providerAt,
  anyKeySet,
  draftFromSettings,
  editProvider,
  isDirty,
  keyIsSet,
  nameToSave,
  patchFromDraft,
  providerLabel,
  providerSubject,
  providerTarget,
  removeProvider,
  saveDraft,
  withAnswering,
  type SettingsDraft
} from './settings-form'

function view(apiKeys: Record<string, boolean> = {}): SettingsView {
  return { ...defaultSettings(), apiKeys }
}

function preset(id: string): ProviderPreset {
  const found = presetById(id)
  if (!found) throw new Error(`no preset ${id}`)
  return found
}

function patches(result: ReturnType<typeof patchFromDraft>): SettingsPatch[] {
  if ('error' in result) throw new Error(result.error)
  return result.patches
}

describe('the settings draft', () => {
  it('holds every provider, and the model that answers', () => {
    const draft = draftFromSettings(view())
    expect(draft.providers).toEqual([
      { id: 'ollama', kind: 'openai', name: 'Ollama (local)', baseUrl: 'http://127.0.0.1:11434/v1', presetId: 'ollama', apiKey: '', clearKey: false }
    ])
    expect(draft.large).toEqual({ providerId: 'ollama', model: 'llama3.2' })
    expect(draft.small).toBeUndefined()
  })

  it('is dirty once anything is edited, and clean again when saved', () => {
    const settings = view()
    const draft = draftFromSettings(settings)
    expect(isDirty(settings, draft)).toBe(false)
    expect(isDirty(settings, { ...draft, systemPrompt: 'Be brief.' })).toBe(true)
    expect(isDirty(settings, editProvider(draft, 'ollama', { apiKey: 'sk-typed' }))).toBe(true)
    expect(isDirty(settings, addProvider(draft, preset('anthropic')).draft)).toBe(true)
  })

  it('adds a server found on this computer at its address, and selects the one already there instead of adding it twice', () => {
    const start = draftFromSettings(view())
    const ollamaId = start.providers.find((provider) => provider.presetId === 'ollama')?.id
    const ollamaUrl = start.providers.find((provider) => provider.presetId === 'ollama')?.baseUrl ?? ''
    expect(addProviderAt(start, preset('ollama'), `${ollamaUrl}/`)).toEqual({ draft: start, providerId: ollamaId })
    const added = addProviderAt(start, preset('lm-studio'), 'http://127.0.0.1:1235/v1')
    expect(added.draft.providers).toHaveLength(start.providers.length + 1)
    expect(added.draft.providers.find((provider) => provider.id === added.providerId)).toMatchObject({ presetId: 'lm-studio', baseUrl: 'http://127.0.0.1:1235/v1' })
  })

  it('finds the provider at an address however it is written (localhost is 127.0.0.1)', () => {
    const start = draftFromSettings(view())
    const ollama = start.providers.find((provider) => provider.presetId === 'ollama')
    const asLocalhost = editProvider(start, ollama?.id ?? '', { baseUrl: 'http://localhost:11434/v1' })
    expect(providerAt(asLocalhost.providers, 'http://127.0.0.1:11434/v1/')?.id).toBe(ollama?.id)
    expect(providerAt(asLocalhost.providers, 'http://127.0.0.1:1234/v1')).toBeUndefined()
  })

  it('adds providers from presets side by side, each with its own id', () => {
    const first = addProvider(draftFromSettings(view()), preset('openai'))
    const second = addProvider(first.draft, preset('openai'))
    expect(first.providerId).toBe('openai')
    expect(second.providerId).toBe('openai-2')
    expect(second.draft.providers.map((p) => p.name)).toEqual(['Ollama (local)', 'OpenAI', 'OpenAI 2'])
    expect(second.draft.providers[2]).toMatchObject({ kind: 'openai', baseUrl: 'https://api.openai.com/v1', presetId: 'openai' })
  })

  it('refuses to remove the provider a model uses, naming it', () => {
    const { draft } = addProvider(draftFromSettings(view()), preset('anthropic'))
    expect(removeProvider(draft, 'ollama')).toEqual({ error: expect.stringMatching(/^Ollama \(local\) answers your prompts: choose another/) })
    const titled = { ...draft, small: { providerId: 'anthropic', model: 'claude-haiku' } }
    expect(removeProvider(titled, 'anthropic')).toEqual({ error: expect.stringMatching(/^Anthropic writes the chat titles/) })
    const removed = removeProvider(draft, 'anthropic')
    expect('draft' in removed && removed.draft.providers.map((p) => p.id)).toEqual(['ollama'])
  })
})

describe('Test and Load models', () => {
  const saved = ['ollama']
  it('check the typed URL and the typed key', () => {
    const draft = editProvider(draftFromSettings(view({ ollama: true })), 'ollama', { baseUrl: ' http://127.0.0.1:9/v1 ', apiKey: ' sk-new ' })
    expect(providerTarget(draft.providers[0]!, saved)).toEqual({ target: { kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-new' } })
  })

  it('use the stored key of a saved provider when none is typed, and none when it is to be forgotten', () => {
    const draft = draftFromSettings(view({ ollama: true }))
    expect(providerTarget(draft.providers[0]!, saved)).toEqual({ target: { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', providerId: 'ollama' } })
    const forgetting = editProvider(draft, 'ollama', { clearKey: true })
    expect(providerTarget(forgetting.providers[0]!, saved)).toEqual({ target: { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' } })
    const added = addProvider(draft, preset('openai'))
    expect(providerTarget(added.draft.providers[1]!, saved)).toEqual({ target: { kind: 'openai', baseUrl: 'https://api.openai.com/v1' } })
  })

  it('answer an address typed without http:// with the address it would be', () => {
    const settings = view()
    for (const typed of ['localhost:11434', ' 127.0.0.1:1234/v1 ']) {
      const draft = editProvider(draftFromSettings(settings), 'ollama', { baseUrl: typed })
      expect(providerTarget(draft.providers[0]!, saved)).toEqual({
        error: `Ollama (local): the Base URL must start with http:// or https:// (http://${typed.trim()}, say).`
      })
    }
    const typo = editProvider(draftFromSettings(settings), 'ollama', { baseUrl: 'htp://localhost:11434' })
    expect(providerTarget(typo.providers[0]!, saved)).toEqual({ error: 'Ollama (local): the Base URL must be an http:// or https:// address.' })
  })

  it('name the provider whose URL is not one', () => {
    const { draft } = addProvider(draftFromSettings(view()), preset('custom'))
    expect(providerTarget(draft.providers[1]!, saved)).toEqual({ error: 'Other OpenAI-compatible server: the Base URL must be an http:// or https:// address.' })
  })
})

describe('saving the draft', () => {
  it('saves providers and models in one call, then each key', () => {
    const settings = view()
    const added = addProvider(draftFromSettings(settings), preset('anthropic'))
    const draft: SettingsDraft = {
      ...editProvider(added.draft, 'anthropic', { apiKey: ' sk-ant ' }),
      large: { providerId: 'anthropic', model: ' claude-sonnet ' },
      small: { providerId: 'ollama', model: 'llama3.2' }
    }
    const [main, key, ...rest] = patches(patchFromDraft(settings, draft))
    expect(rest).toEqual([])
    expect(main?.providers?.map((p) => p.id)).toEqual(['ollama', 'anthropic'])
    expect(main?.models?.large).toEqual({ providerId: 'anthropic', model: 'claude-sonnet', contextWindow: 8192, maxOutputTokens: 2048 })
    expect(main?.models?.small).toMatchObject({ providerId: 'ollama', model: 'llama3.2' })
    expect(main?.apiKey).toBeUndefined()
    expect(key).toEqual({ apiKey: { providerId: 'anthropic', key: 'sk-ant' } })
  })

  it("saves the answering model's context window and longest answer as typed (8,192 too), and names a bad one", () => {
    const settings = view()
    const draft = draftFromSettings(settings)
    expect(draft.room).toEqual({ context: '8192', answer: '2048' })
    const [main] = patches(patchFromDraft(settings, { ...draft, room: { context: ' 200,000 ', answer: '4 096' } }))
    expect(main?.models?.large).toMatchObject({ contextWindow: 200_000, maxOutputTokens: 4096 })
    expect(patchFromDraft(settings, { ...draft, room: { context: 'lots', answer: '2048' } })).toEqual({ error: expect.stringContaining('context window must be a whole number of tokens from 512') })
    expect(patchFromDraft(settings, { ...draft, room: { context: '100', answer: '16' } })).toEqual({ error: expect.stringContaining('from 512 to 10,000,000') })
    expect(patchFromDraft(settings, { ...draft, room: { context: '4096', answer: '3000' } })).toEqual({ error: expect.stringContaining('at most half the context window') })
    expect(patchFromDraft(settings, { ...draft, room: { context: '4096', answer: '1.5' } })).toEqual({ error: expect.stringContaining('longest answer must be a whole number') })
  })

  it("proposes the answering provider's usual context window as it changes, unless a number was typed", () => {
    const added = addProvider(draftFromSettings(view()), preset('anthropic')).draft
    const claude = withAnswering(added, { providerId: 'anthropic', model: 'claude-sonnet' })
    expect(claude.room).toEqual({ context: '200000', answer: '2048' })
    // Another model of the same provider keeps it; back to the local server, its default again.
    expect(withAnswering(claude, { providerId: 'anthropic', model: 'claude-haiku' }).room.context).toBe('200000')
    expect(withAnswering(claude, { providerId: 'ollama', model: 'llama3.2' }).room.context).toBe('8192')
    // A number the person typed stays, whatever the provider.
    const typed = { ...added, room: { context: '32,768', answer: '2048' } }
    expect(withAnswering(typed, { providerId: 'anthropic', model: 'claude-sonnet' }).room.context).toBe('32,768')
  })

  it('forgets the key of a removed provider while it still exists, and clears a key only when one is set', () => {
    const settings: SettingsView = {
      ...view({ openai: true }),
      providers: [...defaultSettings().providers, { id: 'openai', kind: 'openai', name: 'OpenAI', baseUrl: 'https://api.openai.com/v1' }]
    }
    const removed = removeProvider(draftFromSettings(settings), 'openai')
    if (!('draft' in removed)) throw new Error(removed.error)
    const [forget, main] = patches(patchFromDraft(settings, removed.draft))
    expect(forget).toEqual({ apiKey: { providerId: 'openai', key: null } })
    expect(main?.providers?.map((p) => p.id)).toEqual(['ollama'])

    const clearing = editProvider(draftFromSettings(view()), 'ollama', { clearKey: true })
    expect(patches(patchFromDraft(view(), clearing))).toHaveLength(1)
  })

  it('keeps "only in the background" while notifications are off', () => {
    const settings = view()
    const [main] = patches(patchFromDraft(settings, { ...draftFromSettings(settings), closeToTray: false, notify: false }))
    expect(main?.desktop).toEqual({ closeToTray: false, notifications: { enabled: false, onlyInBackground: true } })
  })

  it('names the field and the provider that are wrong', () => {
    const settings = view()
    const draft = { ...editProvider(draftFromSettings(settings), 'ollama', { baseUrl: 'not a url', name: ' ' }), large: { providerId: 'ollama', model: '' } }
    const result = patchFromDraft(settings, draft)
    expect('error' in result && result.error).toBe(
      'The provider with no name: the Name is empty. The provider with no name: the Base URL must be an http:// or https:// address. The answering model: choose or type a Model.'
    )
  })

  it('names a provider whose Name was cleared by where it is, never by its internal id', () => {
    const settings = view()
    const draft = editProvider(draftFromSettings(settings), 'ollama', { name: '  ' })
    const result = patchFromDraft(settings, draft)
    const at = draft.providers.find((provider) => provider.id === 'ollama')?.baseUrl ?? ''
    expect('error' in result && result.error).toBe(`The provider at ${at}: the Name is empty.`)
    expect(providerLabel({ name: '', baseUrl: at })).toBe(`the provider at ${at}`)
    expect(providerSubject({ name: ' Mine ', baseUrl: at })).toBe('Mine')
    expect(providerLabel({ name: 'mine', baseUrl: at })).toBe('mine')
    expect(nameToSave({ name: ' ', presetId: 'ollama' })).toBe(presetById('ollama')?.name)
    expect(nameToSave({ name: ' ', presetId: undefined })).toBe('Model server')
    expect(nameToSave({ name: 'Box', presetId: 'ollama' })).toBe('Box')
  })

  it('says main’s refusal, and hands back what main saved', async () => {
    const settings = view()
    const calls: SettingsPatch[] = []
    const api = {
      updateSettings: (patch: SettingsPatch) => {
        calls.push(patch)
        if (patch.apiKey) return Promise.reject({ code: 'BadRequest', message: 'The key could not be stored.' })
        return Promise.resolve({ ...settings, systemPrompt: patch.systemPrompt ?? '' })
      }
    }
    const draft = draftFromSettings(settings)
    expect(await saveDraft(api, settings, { ...draft, systemPrompt: 'Be brief.' })).toEqual({ view: { ...settings, systemPrompt: 'Be brief.' } })
    expect(await saveDraft(api, settings, editProvider(draft, 'ollama', { apiKey: 'k' }))).toEqual({ error: 'The key could not be stored.' })
    expect(calls).toHaveLength(3)
  })

  it('says whether a key is set without ever holding it', () => {
    expect(keyIsSet(view({ ollama: true }), 'ollama')).toBe(true)
    expect(keyIsSet(view(), 'ollama')).toBe(false)
    expect(anyKeySet(view())).toBe(false)
    expect(anyKeySet(view({ ollama: false, openai: true }))).toBe(true)
  })
})
