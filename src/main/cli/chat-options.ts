import type { ChatModel, SessionOptionsPatch } from '../../shared'
import { UsageError } from '../launch-settings'

/**
 * `--model`: `PROVIDER/NAME` when PROVIDER is the id of a configured provider, else NAME on the provider of the
 * settings' large model (model names may hold slashes themselves: `openai/gpt-4o` on OpenRouter).
 */
/** The part of the settings `--model` reads. */
export interface ModelChoices {
  providers: readonly { id: string }[]
  models: { large: { providerId: string } }
}

export function chatModelFrom(text: string, settings: ModelChoices): ChatModel {
  const name = text.trim()
  if (name === '') throw new UsageError('--model needs a model name.')
  const slash = name.indexOf('/')
  if (slash > 0) {
    const providerId = name.slice(0, slash)
    const model = name.slice(slash + 1).trim()
    if (model !== '' && settings.providers.some((provider) => provider.id === providerId)) return { providerId, model }
  }
  return { providerId: settings.models.large.providerId, model: name }
}

/** The chat options a run's flags ask for, or null when they ask for none. */
export function optionsPatch(model: ChatModel | null, system: string | null): SessionOptionsPatch | null {
  if (model === null && system === null) return null
  return { ...(model ? { model } : {}), ...(system !== null ? { systemPrompt: system } : {}) }
}
