import type { ChatModel, ModelRef, ProviderConfig, ProviderRef, Settings } from '../../../shared'
import { ParleyError } from '../../../shared'
import type { ModelPort, ResolvedModel } from '../agent/ports'
import type { Provider } from '../providers/provider'
import { createProvider } from '../providers/registry'

export type ProviderFactory = (config: ProviderConfig, apiKey: string | undefined) => Provider

/**
 * Turns the current settings and keys into providers, reusing a provider until its config or key changes. It is the
 * agent's model port: each turn asks for the models afresh, so a settings change applies to the next turn.
 */
export class ModelPool implements ModelPort {
  private readonly cache = new Map<string, { fingerprint: string; provider: Provider }>()

  constructor(
    private readonly settings: () => Settings,
    private readonly keys: ReadonlyMap<string, string>,
    private readonly factory: ProviderFactory = (config, key) => createProvider(config, key)
  ) {}

  large(chat?: ChatModel): ResolvedModel {
    return this.resolve(chatModelRef(this.settings(), chat))
  }

  small(): ResolvedModel | undefined {
    const ref = this.settings().models.small
    return ref ? this.resolve(ref) : undefined
  }

  provider(providerId: string): Provider {
    const config = this.settings().providers.find((p) => p.id === providerId)
    if (!config) throw new ParleyError('BadRequest', `There is no provider "${providerId}" in the settings.`)
    const key = this.keys.get(providerId)
    const fingerprint = JSON.stringify([config, key ?? null])
    const cached = this.cache.get(providerId)
    if (cached && cached.fingerprint === fingerprint) return cached.provider
    const provider = this.factory(config, key)
    this.cache.set(providerId, { fingerprint, provider })
    return provider
  }

  /**
   * A saved provider by id, or a provider being edited in the form, built for this one check and never cached: Test
   * and Load models check the typed URL and key, not the saved ones. A draft without a typed key uses the key stored
   * for its `providerId`.
   */
  providerFor(ref: ProviderRef): Provider {
    if (typeof ref === 'string') return this.provider(ref)
    const key = ref.apiKey?.trim() || (ref.providerId ? this.keys.get(ref.providerId) : undefined)
    const config: ProviderConfig = { id: ref.providerId ?? 'draft', kind: ref.kind, name: 'draft', baseUrl: ref.baseUrl }
    return this.factory(config, key)
  }

  private resolve(ref: ModelRef): ResolvedModel {
    return { provider: this.provider(ref.providerId), ref }
  }
}

/**
 * The ref a chat's model choice stands for: the settings' large model when the chat has none, or its provider is no
 * longer configured (the chat falls back to the default). A chosen model takes the large model's context window and
 * answer room: Parley knows no better figures for it (the chat's max tokens may replace the latter).
 */
export function chatModelRef(settings: Pick<Settings, 'providers' | 'models'>, chat: ChatModel | undefined): ModelRef {
  const large = settings.models.large
  if (!chat || !settings.providers.some((provider) => provider.id === chat.providerId)) return large
  return { ...large, providerId: chat.providerId, model: chat.model }
}
