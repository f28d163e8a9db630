import { modelRefSchema, type ProviderConfig, type ProviderTest, type SettingsPatch, type SettingsView } from '../../../shared'
import { canChat } from '../settings/can-chat'
import { presetFor } from '../settings/provider-presets'

/** What the welcome screen found when it checked the provider that answers, and so what it asks the person to do. */
export type WelcomeState =
  | { step: 'checking'; provider: ProviderConfig | undefined }
  /** The server can't be reached, or refused: its sentence, and for Ollama how to install it and get a model. */
  | { step: 'failed'; provider: ProviderConfig | undefined; message: string; ollama: boolean }
  /** The server answers but lists no model: for Ollama, pull one. */
  | { step: 'no-models'; provider: ProviderConfig; ollama: boolean; suggestedModel: string | undefined }
  /**
   * A model is ready to answer: `picked` when it is the server's first, chosen because the configured one isn't
   * offered; `listed` false when the configured one isn't offered but was kept (it was just chosen in Settings).
   */
  | {
      step: 'ready'
      provider: ProviderConfig
      model: string
      picked: boolean
      listed: boolean
      /**
       * The server lists its models but is still loading one (rule C6): its own words ("Loading model"). A prompt
       * sent now waits for it; the welcome checks again until it has loaded.
       */
      loading?: string
      /**
       * The server says which models it has in memory (Ollama, LM Studio) and this one is not among them: its first
       * answer loads it, and takes longer.
       */
      firstAnswerLoads?: true
    }

/** The provider the answering ("large") model uses. */
export function answeringProvider(view: SettingsView): ProviderConfig | undefined {
  return view.providers.find((provider) => provider.id === view.models.large.providerId)
}

export function isOllama(provider: ProviderConfig | undefined): boolean {
  return provider !== undefined && presetFor(provider)?.id === 'ollama'
}

/**
 * The model to answer with: the configured one when the server offers it (Ollama lists `llama3.2` as
 * `llama3.2:latest`), else the server's first that can chat (its first at all when none looks like it can);
 * undefined when it offers none.
 */
export function pickModel(configured: string, offered: readonly string[]): { model: string; picked: boolean } | undefined {
  if (configured !== '' && (offered.includes(configured) || offered.includes(`${configured}:latest`))) return { model: configured, picked: false }
  const first = offered.find(canChat) ?? offered[0]
  return first === undefined ? undefined : { model: first, picked: true }
}

/**
 * What a Test of the answering provider means for a newcomer. With `mayPick`, a configured model the server doesn't
 * offer gives way to its first; without it (the check after Settings closes) the person's own choice is kept.
 */
export function welcomeState(view: SettingsView, test: ProviderTest, mayPick = true): WelcomeState {
  const provider = answeringProvider(view)
  const ollama = isOllama(provider)
  if (!test.ok || !provider) {
    return { step: 'failed', provider, ollama, message: provider ? test.message : 'The model that answers has no provider: choose one in Settings.' }
  }
  const pick = pickModel(view.models.large.model, test.models)
  if (!pick) {
    const suggestedModel = ollama ? presetFor(provider)?.suggestedModel : undefined
    return { step: 'no-models', provider, ollama, suggestedModel }
  }
  const loading = test.loading === undefined ? {} : { loading: test.loading }
  const model = pick.picked && !mayPick ? view.models.large.model : pick.model
  const notInMemory = test.inMemory !== undefined && !test.inMemory.includes(model) && !test.inMemory.includes(`${model}:latest`)
  const said = { ...loading, ...(notInMemory ? { firstAnswerLoads: true as const } : {}) }
  if (pick.picked && !mayPick) return { step: 'ready', provider, model, picked: false, listed: false, ...said }
  return { step: 'ready', provider, ...pick, listed: true, ...said }
}

/** The settings change that makes `model` of `providerId` the one that answers, keeping its limits when it was already. */
export function answeringModelPatch(view: SettingsView, providerId: string, model: string): SettingsPatch {
  const large = view.models.large
  const kept = large.providerId === providerId ? large : {}
  return { models: { ...view.models, large: modelRefSchema.parse({ ...kept, providerId, model }) } }
}

/** The first prompt the welcome screen offers to send. */
export const helloPrompt = 'Hello! Who are you, in one sentence?'
