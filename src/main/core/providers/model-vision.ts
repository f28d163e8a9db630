import { z } from 'zod'
import type { ProviderConfig, VisionSupport } from '../../../shared'

/** What Ollama's `/api/show` answers that matters here: the model's capabilities ("completion", "vision", …). */
const ollamaShowSchema = z.object({ capabilities: z.array(z.string()).optional() })

/** What llama.cpp's `GET /props` answers that matters here: whether its model reads images (served with `--mmproj`). */
const llamaCppPropsSchema = z.object({ modalities: z.object({ vision: z.boolean() }) })

/** What LM Studio's `GET /api/v0/models/<model>` answers that matters here: `llm`, `vlm` (reads images) or `embeddings`. */
const lmStudioModelSchema = z.object({ type: z.string() })

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<{
  ok: boolean
  json(): Promise<unknown>
}>

/**
 * Whether a model reads images (issue 14), from what its provider says:
 * - Anthropic: every Claude 3 and later model does; Claude 2 and Instant don't.
 * - An OpenAI-compatible server that is Ollama: `POST <root>/api/show` lists `vision` among the model's capabilities
 *   (the root is the base URL without its `/v1`). A server that doesn't answer it is not Ollama.
 * - llama.cpp's server: `GET <root>/props` says `modalities.vision` (true when it was started with the model's
 *   `--mmproj`; `?model=` picks the model in its router mode).
 * - LM Studio: `GET <root>/api/v0/models/<model>` gives its `type`, `vlm` for a model that reads images, `llm` for one
 *   that doesn't.
 * The three are asked at once; each other server answers them with a 404, and then says nothing.
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
  const said = await Promise.all([
    ollamaVision(config.baseUrl, model, fetchImpl, timeoutMs),
    llamaCppVision(config.baseUrl, model, fetchImpl, timeoutMs),
    lmStudioVision(config.baseUrl, model, fetchImpl, timeoutMs)
  ])
  const known = said.find((vision) => vision !== 'unknown')
  if (known !== undefined) return known
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

async function llamaCppVision(baseUrl: string, model: string, fetchImpl: FetchLike, timeoutMs: number): Promise<VisionSupport> {
  const props = await getJson(`${nativeRoot(baseUrl)}/props?model=${encodeURIComponent(model)}`, fetchImpl, timeoutMs)
  const read = llamaCppPropsSchema.safeParse(props)
  if (!read.success) return 'unknown'
  return read.data.modalities.vision ? 'yes' : 'no'
}

async function lmStudioVision(baseUrl: string, model: string, fetchImpl: FetchLike, timeoutMs: number): Promise<VisionSupport> {
  const info = await getJson(`${nativeRoot(baseUrl)}/api/v0/models/${encodeURIComponent(model)}`, fetchImpl, timeoutMs)
  const read = lmStudioModelSchema.safeParse(info)
  if (!read.success) return 'unknown'
  if (read.data.type === 'vlm') return 'yes'
  return read.data.type === 'llm' ? 'no' : 'unknown'
}

/** The JSON a GET answers with, or undefined when it fails, times out or isn't a success. */
async function getJson(url: string, fetchImpl: FetchLike, timeoutMs: number): Promise<unknown> {
  try {
    const response = await fetchImpl(url, { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
    return response.ok ? await response.json() : undefined
  } catch {
    return undefined
  }
}

function isOpenAi(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com'
  } catch {
    return false
  }
}
