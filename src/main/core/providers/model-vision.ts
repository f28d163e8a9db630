import { z } from 'zod'
import type { ProviderConfig, VisionSupport } from '../../../shared'

/** What Ollama's `/api/show` answers that matters here: the model's capabilities ("completion", "vision", …). */
const ollamaShowSchema = z.object({ capabilities: z.array(z.string()).optional() })

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{
  ok: boolean
  json(): Promise<unknown>
}>

/**
 * Whether a model reads images (issue 14), from what its provider says:
 * - Anthropic: every Claude 3 and later model does; Claude 2 and Instant don't.
 * - An OpenAI-compatible server that is Ollama: `POST <root>/api/show` lists `vision` among the model's capabilities
 *   (the root is the base URL without its `/v1`). A server that doesn't answer it is not Ollama.
 * - OpenAI itself (api.openai.com): the GPT-4o, GPT-4.1, GPT-5 and o-series families do.
 * Anything else is `unknown`: the window warns before sending an image, and sends it if the person goes on.
 */
export async function modelVision(
  config: ProviderConfig,
  model: string,
  fetchImpl: FetchLike = fetch,
  timeoutMs = 5000
): Promise<VisionSupport> {
  if (config.kind === 'anthropic') {
    if (/^claude-(2|instant)/i.test(model)) return 'no'
    return /^claude-/i.test(model) ? 'yes' : 'unknown'
  }
  const fromOllama = await ollamaVision(config.baseUrl, model, fetchImpl, timeoutMs)
  if (fromOllama !== 'unknown') return fromOllama
  if (isOpenAi(config.baseUrl) && /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-5|o[134](-|$))/i.test(model)) return 'yes'
  return 'unknown'
}

/** The server's own root: an OpenAI-compatible base URL ends in `/v1`. */
export function nativeRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
}

async function ollamaVision(baseUrl: string, model: string, fetchImpl: FetchLike, timeoutMs: number): Promise<VisionSupport> {
  try {
    const response = await fetchImpl(`${nativeRoot(baseUrl)}/api/show`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model }),
      signal: AbortSignal.timeout(timeoutMs)
    })
    if (!response.ok) return 'unknown'
    const show = ollamaShowSchema.safeParse(await response.json())
    if (!show.success || show.data.capabilities === undefined) return 'unknown'
    return show.data.capabilities.includes('vision') ? 'yes' : 'no'
  } catch {
    return 'unknown'
  }
}

function isOpenAi(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com'
  } catch {
    return false
  }
}
