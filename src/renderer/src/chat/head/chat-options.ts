import {
  issuesText,
  maxTokensSchema,
  sessionOptionsPatchSchema,
  temperatureSchema,
  type ChatModel,
  type ModelRef,
  type SessionOptions,
  type SessionOptionsPatch,
  type Settings
} from '../../../../shared'
import { canChat } from '../../settings/can-chat'

/** The model a chat answers with, as the header shows it. */
export type ShownModel =
  /** The chat chose none: the settings' large model. */
  | { kind: 'default'; model: ModelRef }
  | { kind: 'chosen'; model: ChatModel }
  /** The chat chose a model whose provider is no longer configured: the default answers instead. */
  | { kind: 'fallback'; removed: ChatModel; model: ModelRef }

export function shownModel(options: SessionOptions | undefined, settings: Pick<Settings, 'providers' | 'models'>): ShownModel {
  const chosen = options?.model
  const large = settings.models.large
  if (!chosen) return { kind: 'default', model: large }
  if (!settings.providers.some((provider) => provider.id === chosen.providerId)) return { kind: 'fallback', removed: chosen, model: large }
  return { kind: 'chosen', model: chosen }
}

/**
 * The models the picker offers under one provider: those it lists that can chat (no embedding models, as on the
 * welcome), with the chat's own choice kept even when it looks like one (first, when the provider no longer lists it).
 */
export function pickerModels(listed: readonly string[], chosen: string | undefined): string[] {
  const offered = listed.filter((model) => model === chosen || canChat(model))
  return chosen === undefined || listed.includes(chosen) ? offered : [chosen, ...offered]
}

/** A model as one `<option>` value; '' is "the default". */
export function modelValue(model: ChatModel | undefined): string {
  return model ? JSON.stringify([model.providerId, model.model]) : ''
}

/** The choice an `<option>` value stands for: null is "back to the default". */
export function modelOfValue(value: string): ChatModel | null {
  if (value === '') return null
  const parsed: unknown = JSON.parse(value)
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') return null
  return { providerId: parsed[0], model: parsed[1] }
}

/** The Advanced form as typed: an empty field means "the default". */
export interface OptionsForm {
  systemPrompt: string
  temperature: string
  maxTokens: string
}

export function formOf(options: SessionOptions | undefined): OptionsForm {
  return {
    systemPrompt: options?.systemPrompt ?? '',
    temperature: options?.temperature === undefined ? '' : String(options.temperature),
    maxTokens: options?.maxTokens === undefined ? '' : String(options.maxTokens)
  }
}

export type FormCheck = { ok: true; patch: SessionOptionsPatch } | { ok: false; error: string }

/** The patch the form asks for, checked with the schemas main checks it with, or what is wrong with it. */
export function patchOf(form: OptionsForm): FormCheck {
  const temperature = numberOf(form.temperature)
  const maxTokens = numberOf(form.maxTokens)
  if (temperature !== null && !temperatureSchema.safeParse(temperature).success) {
    return { ok: false, error: 'Temperature is a number from 0 to 2.' }
  }
  if (maxTokens !== null && !maxTokensSchema.safeParse(maxTokens).success) {
    return { ok: false, error: 'Max tokens is a whole number from 1 to 1,000,000.' }
  }
  const patch = sessionOptionsPatchSchema.safeParse({
    systemPrompt: form.systemPrompt.trim() === '' ? null : form.systemPrompt,
    temperature,
    maxTokens
  })
  return patch.success ? { ok: true, patch: patch.data } : { ok: false, error: issuesText(patch.error) }
}

/** null for an empty field; NaN (refused by the schemas) for one that is not a number. */
function numberOf(text: string): number | null {
  return text.trim() === '' ? null : Number(text)
}
