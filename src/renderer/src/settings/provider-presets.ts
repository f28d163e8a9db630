import type { ProviderKind } from '../../../shared'

/** Whether the server wants an API key: local servers don't, hosted ones do. */
export type KeyNeed = 'none' | 'required' | 'optional'

/** A model server people already have, with what it takes to talk to it. */
export interface ProviderPreset {
  /** Stable, and the id a provider made from it gets (with a suffix when taken). */
  id: string
  name: string
  kind: ProviderKind
  /** Empty for "any OpenAI-compatible server": the person types it. */
  baseUrl: string
  key: KeyNeed
  /** Runs on this machine: no network needed, and Parley probes it every second or two while prompts wait. */
  local: boolean
  /** One line on what to do to have it running. */
  hint: string
  /** A model to suggest when the server lists none (Ollama with nothing pulled yet). */
  suggestedModel?: string
  /**
   * The context window its models usually hold, in tokens: what Settings proposes when it becomes the answering
   * provider. Local servers hold what they were started with, so Parley's default; hosted models far more.
   */
  contextWindow: number
}

/** Parley's default context window (the settings schema's), for local servers. */
const localContext = 8192

export const providerPresets: readonly ProviderPreset[] = [
  {
    id: 'ollama',
    name: 'Ollama',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:11434/v1',
    key: 'none',
    local: true,
    hint: 'Install Ollama from ollama.com, run `ollama pull llama3.2`, and keep Ollama running.',
    suggestedModel: 'llama3.2',
    contextWindow: localContext
  },
  {
    id: 'lm-studio',
    name: 'LM Studio',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:1234/v1',
    key: 'none',
    local: true,
    hint: 'In LM Studio, load a model and start the server (Developer → Start Server).',
    contextWindow: localContext
  },
  {
    id: 'llama-cpp',
    name: 'llama.cpp server',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:8080/v1',
    key: 'none',
    local: true,
    hint: 'Run `llama-server -m your-model.gguf` (it listens on port 8080).',
    contextWindow: localContext
  },
  {
    id: 'vllm',
    name: 'vLLM',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:8000/v1',
    key: 'optional',
    local: true,
    hint: 'Run `vllm serve <model>` (it listens on port 8000).',
    contextWindow: localContext
  },
  {
    id: 'jan',
    name: 'Jan',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:1337/v1',
    key: 'optional',
    local: true,
    hint: 'In Jan, load a model and turn on its Local API Server (Settings → Local API Server; port 1337).',
    contextWindow: localContext
  },
  {
    id: 'koboldcpp',
    name: 'KoboldCpp',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:5001/v1',
    key: 'none',
    local: true,
    hint: 'Run KoboldCpp with a model loaded (it listens on port 5001).',
    contextWindow: localContext
  },
  {
    id: 'text-generation-webui',
    name: 'text-generation-webui',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:5000/v1',
    key: 'none',
    local: true,
    hint: 'Start it with `--api` and load a model (its API listens on port 5000).',
    contextWindow: localContext
  },
  {
    id: 'openai',
    name: 'OpenAI',
    kind: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    key: 'required',
    local: false,
    hint: 'Needs an API key from platform.openai.com.',
    contextWindow: 128_000
  },
  {
    id: 'anthropic',
    name: 'Anthropic',
    kind: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    key: 'required',
    local: false,
    hint: 'Needs an API key from console.anthropic.com.',
    contextWindow: 200_000
  },
  {
    id: 'openrouter',
    name: 'OpenRouter',
    kind: 'openai',
    baseUrl: 'https://openrouter.ai/api/v1',
    key: 'required',
    local: false,
    hint: 'Needs an API key from openrouter.ai.',
    contextWindow: 128_000
  },
  {
    id: 'custom',
    name: 'Other OpenAI-compatible server',
    kind: 'openai',
    baseUrl: '',
    key: 'optional',
    local: false,
    hint: 'Type the server’s base URL, usually ending in /v1.',
    contextWindow: localContext
  }
]

export function presetById(id: string): ProviderPreset | undefined {
  return providerPresets.find((preset) => preset.id === id)
}

/** The words a preset's key need reads as, next to the key field. */
export function keyNeedText(need: KeyNeed): string {
  switch (need) {
    case 'none':
      return 'No API key needed.'
    case 'required':
      return 'Needs an API key.'
    case 'optional':
      return 'An API key only if your server asks for one.'
  }
}

/** An id for a new provider from a preset that isn't taken yet: `openai`, then `openai-2`, `openai-3`… */
export function freeProviderId(presetId: string, taken: readonly string[]): string {
  if (!taken.includes(presetId)) return presetId
  for (let n = 2; ; n++) {
    const id = `${presetId}-${n}`
    if (!taken.includes(id)) return id
  }
}

/** The same server whatever way its address is written: `localhost` is 127.0.0.1, a trailing slash is nothing. */
export function sameAddress(a: string, b: string): boolean {
  const plain = (url: string): string =>
    url
      .trim()
      .replace(/\/+$/, '')
      .replace(/^(https?:\/\/)localhost(?=[:/]|$)/i, '$1127.0.0.1')
      .toLowerCase()
  return a !== '' && b !== '' && plain(a) === plain(b)
}

/**
 * The preset a saved provider looks like: the one at its address, else the one its name says it is ("Ollama
 * (local)" on another port). Undefined for a server Parley can't tell (`--provider-url` names it "OpenAI-compatible
 * server").
 */
export function presetFor(provider: { kind: ProviderKind; name: string; baseUrl: string }): ProviderPreset | undefined {
  const name = provider.name.trim().toLowerCase()
  // "Ollama (local)" and "Ollama 2" are Ollama; "OpenAI-compatible server" is not OpenAI.
  const named = (preset: ProviderPreset): boolean => {
    const wanted = preset.name.toLowerCase()
    return preset.id !== 'custom' && preset.kind === provider.kind && (name === wanted || name.startsWith(`${wanted} `))
  }
  return providerPresets.find((preset) => sameAddress(preset.baseUrl, provider.baseUrl)) ?? providerPresets.find(named)
}
