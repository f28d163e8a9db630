import {
  modelRefSchema,
  providerConfigSchema,
  settingsPatchSchema,
  type ModelRef,
  type ParleyApi,
  type ProviderConfig,
  type ProviderKind,
  type ProviderTarget,
  type SettingsPatch,
  type SettingsView
} from '../../../shared'
import { errorText } from '../notices/error-text'
import { freeProviderId, presetById, presetFor, sameAddress, type ProviderPreset } from './provider-presets'

/** One provider as the form holds it: what was saved, with the edits typed since. */
export interface ProviderDraft {
  id: string
  kind: ProviderKind
  name: string
  baseUrl: string
  /** The preset it came from (or looks like), for its hint and whether it needs a key. */
  presetId: string | undefined
  /** A new key typed in the form; empty leaves the stored key as it is. Never stored in the renderer. */
  apiKey: string
  /** Forget the stored key. */
  clearKey: boolean
}

/** Which provider and model answer (or write titles). */
export interface ModelChoice {
  providerId: string
  model: string
}

/** Everything the settings panel edits: every provider, the models, the system prompt, the tray and notifications. */
export interface SettingsDraft {
  providers: ProviderDraft[]
  /** The model that answers ("large"). */
  large: ModelChoice
  /** The model that writes titles ("small"); undefined when the answering model does. */
  small: ModelChoice | undefined
  /** How many tokens the answering model holds (history, prompt and answer) and gives its answer, as typed. */
  room: { context: string; answer: string }
  systemPrompt: string
  closeToTray: boolean
  notify: boolean
  /** Kept as it was while notifications are off, so turning them back on restores it. */
  notifyOnlyInBackground: boolean
}

export function providerDraft(provider: ProviderConfig): ProviderDraft {
  return { ...provider, presetId: presetFor(provider)?.id, apiKey: '', clearKey: false }
}

export function draftFromSettings(view: SettingsView): SettingsDraft {
  const choice = (ref: ModelRef): ModelChoice => ({ providerId: ref.providerId, model: ref.model })
  return {
    providers: view.providers.map(providerDraft),
    large: choice(view.models.large),
    small: view.models.small ? choice(view.models.small) : undefined,
    room: { context: String(view.models.large.contextWindow), answer: String(view.models.large.maxOutputTokens) },
    systemPrompt: view.systemPrompt,
    closeToTray: view.desktop.closeToTray,
    notify: view.desktop.notifications.enabled,
    notifyOnlyInBackground: view.desktop.notifications.onlyInBackground
  }
}

/**
 * The draft with another answering model. When its provider changes and the context window is still what the last
 * provider's preset proposes (not a number the person typed), it becomes the new one's: Claude holds 200,000 tokens,
 * a local server what it was started with (Parley's default).
 */
export function withAnswering(draft: SettingsDraft, large: ModelChoice): SettingsDraft {
  if (large.providerId === draft.large.providerId) return { ...draft, large }
  const windowOf = (providerId: string): number => {
    const presetId = draft.providers.find((provider) => provider.id === providerId)?.presetId
    return (presetId === undefined ? undefined : presetById(presetId)?.contextWindow) ?? modelRefSchema.shape.contextWindow.parse(undefined)
  }
  if (tokensOf(draft.room.context) !== windowOf(draft.large.providerId)) return { ...draft, large }
  return { ...draft, large, room: { ...draft.room, context: String(windowOf(large.providerId)) } }
}

/** Whether the draft holds anything not saved yet: closing it then asks first. */
export function isDirty(view: SettingsView, draft: SettingsDraft): boolean {
  return JSON.stringify(draftFromSettings(view)) !== JSON.stringify(draft)
}

/** Whether main holds a key for the provider (main says only that, never the key). */
export function keyIsSet(view: SettingsView, providerId: string): boolean {
  return view.apiKeys[providerId] === true
}

/** Whether any key is stored: only then is it worth warning that keys are not well protected. */
export function anyKeySet(view: SettingsView): boolean {
  return Object.values(view.apiKeys).some((set) => set)
}

/** A provider made from a preset, with an id no other provider has. */
export function addProvider(draft: SettingsDraft, preset: ProviderPreset): { draft: SettingsDraft; providerId: string } {
  const id = freeProviderId(
    preset.id,
    draft.providers.map((provider) => provider.id)
  )
  const taken = draft.providers.filter((provider) => provider.name === preset.name).length
  const provider: ProviderDraft = {
    id,
    kind: preset.kind,
    name: taken ? `${preset.name} ${taken + 1}` : preset.name,
    baseUrl: preset.baseUrl,
    presetId: preset.id,
    apiKey: '',
    clearKey: false
  }
  return { draft: { ...draft, providers: [...draft.providers, provider] }, providerId: id }
}

/** The provider already at `baseUrl` (however its address is written), if any. */
export function providerAt(providers: readonly ProviderDraft[], baseUrl: string): ProviderDraft | undefined {
  return providers.find((provider) => sameAddress(provider.baseUrl, baseUrl))
}

/**
 * A provider from `preset` at `baseUrl` (a server found on this computer): the one already at that address if there is
 * one (nothing is added twice), else a new one.
 */
export function addProviderAt(draft: SettingsDraft, preset: ProviderPreset, baseUrl: string): { draft: SettingsDraft; providerId: string } {
  const there = providerAt(draft.providers, baseUrl)
  if (there) return { draft, providerId: there.id }
  const added = addProvider(draft, preset)
  return { draft: editProvider(added.draft, added.providerId, { baseUrl }), providerId: added.providerId }
}

export function editProvider(draft: SettingsDraft, providerId: string, change: Partial<ProviderDraft>): SettingsDraft {
  return {
    ...draft,
    providers: draft.providers.map((provider) => (provider.id === providerId ? { ...provider, ...change } : provider))
  }
}

/** A provider a model uses can't go: the person picks another model for it first. */
export function removeProvider(draft: SettingsDraft, providerId: string): { draft: SettingsDraft } | { error: string } {
  const provider = draft.providers.find((p) => p.id === providerId)
  if (!provider) return { draft }
  const label = providerSubject(provider)
  if (draft.large.providerId === providerId) {
    return { error: `${label} answers your prompts: choose another provider for the model first, then remove it.` }
  }
  if (draft.small?.providerId === providerId) {
    return { error: `${label} writes the chat titles: choose another titles model first, then remove it.` }
  }
  return { draft: { ...draft, providers: draft.providers.filter((p) => p.id !== providerId) } }
}

/**
 * How a provider is named to the person: its Name, or while that is blank, where it is ("the provider at
 * http://localhost:11434/v1"), never its internal id, which the person never sees.
 */
export function providerLabel(provider: Pick<ProviderDraft, 'name' | 'baseUrl'>): string {
  return provider.name.trim() || unnamed(provider)
}

/** `providerLabel` at the start of a sentence: a blank Name's stand-in starts with a capital. */
export function providerSubject(provider: Pick<ProviderDraft, 'name' | 'baseUrl'>): string {
  const name = provider.name.trim()
  if (name) return name
  const stand = unnamed(provider)
  return stand.charAt(0).toUpperCase() + stand.slice(1)
}

/** The Name a provider connected with a blank Name is saved under: its preset's ("Ollama"), never its id. */
export function nameToSave(provider: Pick<ProviderDraft, 'name' | 'presetId'>): string {
  return provider.name.trim() || presetById(provider.presetId ?? '')?.name || 'Model server'
}

function unnamed(provider: Pick<ProviderDraft, 'baseUrl'>): string {
  const at = provider.baseUrl.trim()
  return validUrl(at) ? `the provider at ${at}` : 'the provider with no name'
}

function validUrl(text: string): boolean {
  return providerConfigSchema.shape.baseUrl.safeParse(text.trim()).success && /^https?:\/\//i.test(text.trim())
}

/**
 * What is wrong with a provider's Base URL, or undefined. An address typed without its scheme ("localhost:1234/v1",
 * as servers print it) is answered with the address it would be, to copy.
 */
export function baseUrlProblem(provider: Pick<ProviderDraft, 'name' | 'baseUrl'>): string | undefined {
  const typed = provider.baseUrl.trim()
  if (validUrl(typed)) return undefined
  const label = providerSubject(provider)
  if (typed !== '' && !typed.includes('://') && validUrl(`http://${typed}`)) {
    return `${label}: the Base URL must start with http:// or https:// (http://${typed}, say).`
  }
  return `${label}: the Base URL must be an http:// or https:// address.`
}

/**
 * The provider as typed, for Test and Load models: the typed URL, the typed key, or else the stored key of a saved
 * provider (unless it is to be forgotten).
 */
export function providerTarget(provider: ProviderDraft, savedIds: readonly string[]): { target: ProviderTarget } | { error: string } {
  const urlProblem = baseUrlProblem(provider)
  if (urlProblem) return { error: urlProblem }
  const key = provider.apiKey.trim()
  const target: ProviderTarget = { kind: provider.kind, baseUrl: provider.baseUrl.trim() }
  if (key) target.apiKey = key
  else if (savedIds.includes(provider.id) && !provider.clearKey) target.providerId = provider.id
  return { target }
}

/** Every mistake in the draft, each naming the provider or model and the field. */
export function draftProblems(draft: SettingsDraft): string[] {
  const problems: string[] = []
  for (const provider of draft.providers) {
    const label = providerSubject(provider)
    if (!provider.name.trim()) problems.push(`${label}: the Name is empty.`)
    const urlProblem = baseUrlProblem(provider)
    if (urlProblem) problems.push(urlProblem)
  }
  const ids = draft.providers.map((provider) => provider.id)
  const choices: [string, ModelChoice | undefined][] = [
    ['The answering model', draft.large],
    ['The titles model', draft.small]
  ]
  for (const [what, choice] of choices) {
    if (!choice) continue
    if (!ids.includes(choice.providerId)) problems.push(`${what}: choose a provider.`)
    if (!choice.model.trim()) problems.push(`${what}: choose or type a Model.`)
  }
  problems.push(...roomProblems(draft.room))
  if (draft.providers.length === 0) problems.push('Add a provider first.')
  return problems
}

/** A whole number of tokens as typed ("8,192" and "8 192" too), or undefined. */
function tokensOf(text: string): number | undefined {
  const digits = text.replace(/[\s,_]/g, '')
  return /^\d{1,8}$/.test(digits) ? Number(digits) : undefined
}

/** The answering model's context window and answer room: in the schema's range, and room left for the chat. */
function roomProblems(room: SettingsDraft['room']): string[] {
  const context = tokensOf(room.context)
  const answer = tokensOf(room.answer)
  const problems: string[] = []
  if (context === undefined || context < 512 || context > 10_000_000) problems.push('The context window must be a whole number of tokens from 512 to 10,000,000.')
  if (answer === undefined || answer < 16 || answer > 1_000_000) problems.push('The longest answer must be a whole number of tokens from 16 to 1,000,000.')
  else if (context !== undefined && answer > context / 2) problems.push('The longest answer can take at most half the context window, to leave room for the chat.')
  return problems
}

/**
 * The calls `updateSettings` takes to save the draft, in order: keys of removed providers forgotten (while they still
 * exist), then providers, models and the rest, then each key set or cleared. Checked with the schema main checks them
 * with, so mistakes are named before the round trip.
 */
export function patchFromDraft(view: SettingsView, draft: SettingsDraft): { patches: SettingsPatch[] } | { error: string } {
  const problems = draftProblems(draft)
  if (problems.length) return { error: problems.join(' ') }
  const kept = new Set(draft.providers.map((provider) => provider.id))
  const forget: SettingsPatch[] = view.providers
    .filter((provider) => !kept.has(provider.id) && keyIsSet(view, provider.id))
    .map((provider) => ({ apiKey: { providerId: provider.id, key: null } }))
  const model = (choice: ModelChoice, saved: ModelRef | undefined): ModelRef =>
    modelRefSchema.parse({ ...(saved ?? {}), providerId: choice.providerId, model: choice.model.trim() })
  const main: SettingsPatch = {
    providers: draft.providers.map(({ id, kind, name, baseUrl }) => ({ id, kind, name: name.trim(), baseUrl: baseUrl.trim() })),
    models: {
      large: {
        ...model(draft.large, view.models.large),
        contextWindow: tokensOf(draft.room.context) ?? view.models.large.contextWindow,
        maxOutputTokens: tokensOf(draft.room.answer) ?? view.models.large.maxOutputTokens
      },
      ...(draft.small ? { small: model(draft.small, view.models.small) } : {})
    },
    systemPrompt: draft.systemPrompt,
    desktop: {
      closeToTray: draft.closeToTray,
      notifications: { enabled: draft.notify, onlyInBackground: draft.notifyOnlyInBackground }
    }
  }
  const keys: SettingsPatch[] = draft.providers.flatMap((provider): SettingsPatch[] => {
    const key = provider.apiKey.trim()
    if (key) return [{ apiKey: { providerId: provider.id, key } }]
    if (provider.clearKey && keyIsSet(view, provider.id)) return [{ apiKey: { providerId: provider.id, key: null } }]
    return []
  })
  const patches = [...forget, main, ...keys]
  for (const patch of patches) {
    const checked = settingsPatchSchema.safeParse(patch)
    if (!checked.success) return { error: checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join(' ') }
  }
  return { patches }
}

/** Saves the draft: one `updateSettings` call per patch, in order. Main's refusal is returned as a sentence. */
export async function saveDraft(
  api: Pick<ParleyApi, 'updateSettings'>,
  view: SettingsView,
  draft: SettingsDraft
): Promise<{ view: SettingsView } | { error: string }> {
  const result = patchFromDraft(view, draft)
  if ('error' in result) return result
  let saved = view
  try {
    for (const patch of result.patches) saved = await api.updateSettings(patch)
    return { view: saved }
  } catch (error) {
    return { error: errorText(error, 'Parley could not save the settings.') }
  }
}
