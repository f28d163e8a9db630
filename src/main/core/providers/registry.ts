import type { ProviderConfig } from '../../../shared'
import { AnthropicProvider } from './anthropic-provider'
import { OpenAIProvider } from './openai-provider'
import type { Provider, ProviderClientOptions } from './provider'

/** The adapter for a configured provider, chosen by its kind. */
export function createProvider(config: ProviderConfig, apiKey?: string, options?: ProviderClientOptions): Provider {
  switch (config.kind) {
    case 'openai':
      return new OpenAIProvider(config, apiKey, options)
    case 'anthropic':
      return new AnthropicProvider(config, apiKey, options)
  }
}
