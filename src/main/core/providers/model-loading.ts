import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import type { ProviderConfig } from '../../../shared'
import { nativeRoot, type FetchLike } from './model-vision'
import { getJson, ollamaNames, onThisNetwork, type Asker } from './served-context'

/** What a server's health check answers while it loads its model (llama.cpp: `{"error":{"code":503,"message":"Loading model"}}`). */
const loadingAnswerSchema = z.object({ error: z.object({ message: z.string() }) })

export type HealthFetch = (url: string, init: { method: string; headers: Record<string, string>; signal: AbortSignal }) => Promise<{
  status: number
  json(): Promise<unknown>
}>

/**
 * Whether a server that lists its models is still loading one (rule C6), asked before any prompt is sent: llama.cpp's
 * server answers `GET /v1/models` while it loads, and `503 Loading model` to prompts and to `GET <root>/health`. The
 * server's own words ("Loading model") when it is loading; undefined when it is not, or can't say (Ollama and most
 * others have no `/health`: a 404). Only a server on this machine or network is asked (`onThisNetwork`).
 */
export async function modelLoading(baseUrl: string, options: { fetchImpl?: HealthFetch; timeoutMs?: number; apiKey?: string } = {}): Promise<string | undefined> {
  if (!onThisNetwork(baseUrl)) return undefined
  const fetchImpl = options.fetchImpl ?? fetch
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`
  try {
    const response = await fetchImpl(`${nativeRoot(baseUrl)}/health`, { method: 'GET', headers, signal: AbortSignal.timeout(options.timeoutMs ?? 3000) })
    if (response.status !== 503) return undefined
    const said = loadingAnswerSchema.safeParse(await response.json().catch(() => undefined))
    return said.success && said.data.error.message.trim() !== '' ? said.data.error.message.trim() : 'Loading model'
  } catch {
    return undefined
  }
}

/** Ollama's `GET /api/ps`: the runners it has started, a model still loading among them (`server/routes.go`, `PsHandler`). */
const ollamaRunnersSchema = z.object({
  models: z.array(z.object({ name: z.string().optional(), model: z.string().optional(), expires_at: z.string().optional() }))
})

/** LM Studio's `GET /api/v0/models/<id>`: `state` is `loaded` once the model is in memory (`not-loaded` before). */
const lmStudioStateSchema = z.object({ state: z.string() })

/** The engines that load a model when the first request for it comes, holding that request meanwhile. */
export type LoadingEngine = 'Ollama' | 'LM Studio'

/**
 * What a turn says while its request waits on a model being loaded into memory (Ollama, LM Studio's JIT loading), in
 * the window's waiting answer and on `parley run`'s stderr. The one place these words are made.
 */
export function loadingIntoMemorySentence(engine: LoadingEngine, model: string): string {
  return `${engine} is loading ${model} into memory (the first answer after a start takes longer).`
}

/** How long Ollama is asked twice apart, to see whether a model's `expires_at` moves with the clock (still loading). */
export const ollamaSecondLookMs = 500

/**
 * Whether Ollama or LM Studio is loading `model` into memory now: asked while a request has had no first byte for a
 * while (`firstByteWaitMs`), since neither answers 503 while it loads (they hold the request). Only a server on this
 * machine or network is asked (`onThisNetwork`); both questions go at once, each other server answers 404 or not in
 * the shape asked for, and says nothing.
 * - Ollama: `GET <root>/api/ps` lists the runners it started. A model not listed is not loaded, so the request waiting
 *   on it is loading it. A listed one may be loading too: Ollama lists a runner as it starts, and until its first
 *   request ends its `expires_at` is the zero time, which `/api/ps` answers as "now + keep_alive", so it moves with the
 *   clock; a model that has answered has a fixed one. So a listed model is asked about again `secondLookMs` later.
 *   "llama3.2" is "llama3.2:latest" there.
 * - LM Studio: `GET <root>/api/v0/models/<id>` → `state` other than `loaded`.
 */
export async function loadingIntoMemory(
  config: ProviderConfig,
  model: string,
  options: { fetchImpl?: FetchLike; timeoutMs?: number; apiKey?: string; secondLookMs?: number; signal?: AbortSignal } = {}
): Promise<LoadingEngine | undefined> {
  if (config.kind !== 'openai' || !onThisNetwork(config.baseUrl)) return undefined
  const ask: Asker = {
    fetchImpl: options.fetchImpl ?? fetch,
    timeoutMs: options.timeoutMs ?? 3000,
    apiKey: options.apiKey,
    signal: options.signal
  }
  const root = nativeRoot(config.baseUrl)
  const [ollama, lmStudio] = await Promise.all([
    ollamaLoading(root, model, ask, options.secondLookMs ?? ollamaSecondLookMs),
    lmStudioLoading(root, model, ask)
  ])
  return ollama ?? lmStudio
}

async function ollamaLoading(root: string, model: string, ask: Asker, secondLookMs: number): Promise<LoadingEngine | undefined> {
  const first = await ollamaRunner(root, model, ask)
  if (first === undefined) return undefined
  if (first === 'not listed') return 'Ollama'
  // The second look waits, unless the first byte came meanwhile (the signal aborts): then nothing is said.
  const looked = await sleep(secondLookMs, true, ask.signal ? { signal: ask.signal } : {}).catch(() => false)
  if (!looked) return undefined
  const second = await ollamaRunner(root, model, ask)
  if (second === 'not listed') return 'Ollama'
  if (second === undefined || first.expiresAt === undefined || second.expiresAt === undefined) return undefined
  // The zero time answered as "now + keep_alive" moves as far as the clock did; a model that answered before stays put.
  return second.expiresAt - first.expiresAt >= secondLookMs / 2 ? 'Ollama' : undefined
}

/** The model's runner as Ollama lists it (its `expires_at` in ms), 'not listed', or undefined when this is not Ollama. */
async function ollamaRunner(root: string, model: string, ask: Asker): Promise<{ expiresAt: number | undefined } | 'not listed' | undefined> {
  const read = ollamaRunnersSchema.safeParse(await getJson(`${root}/api/ps`, ask))
  if (!read.success) return undefined
  const names = ollamaNames(model)
  const runner = read.data.models.find((m) => names.includes(m.name ?? '') || names.includes(m.model ?? ''))
  if (!runner) return 'not listed'
  const expiresAt = runner.expires_at === undefined ? Number.NaN : Date.parse(runner.expires_at)
  return { expiresAt: Number.isFinite(expiresAt) ? expiresAt : undefined }
}

async function lmStudioLoading(root: string, model: string, ask: Asker): Promise<LoadingEngine | undefined> {
  const read = lmStudioStateSchema.safeParse(await getJson(`${root}/api/v0/models/${encodeURIComponent(model)}`, ask))
  return read.success && read.data.state !== 'loaded' ? 'LM Studio' : undefined
}

/** LM Studio's `GET /api/v0/models`: every model it has, each with its `state`. */
const lmStudioModelsSchema = z.object({ data: z.array(z.object({ id: z.string(), state: z.string() })) })

/**
 * The models a server on this machine or network has in memory now, when it says which: Ollama's `GET <root>/api/ps`
 * (each by `name` and `model`), LM Studio's `GET <root>/api/v0/models` (those whose `state` is `loaded`). Undefined
 * when it says nothing of the kind (another server, a hosted API, no answer in `timeoutMs`). Asked by Test, so the
 * welcome can say that the first answer loads a model that is not in memory yet.
 */
export async function modelsInMemory(baseUrl: string, options: { fetchImpl?: FetchLike; timeoutMs?: number; apiKey?: string } = {}): Promise<string[] | undefined> {
  if (!onThisNetwork(baseUrl)) return undefined
  const ask: Asker = { fetchImpl: options.fetchImpl ?? fetch, timeoutMs: options.timeoutMs ?? 3000, apiKey: options.apiKey, signal: undefined }
  const root = nativeRoot(baseUrl)
  const [ollama, lmStudio] = await Promise.all([getJson(`${root}/api/ps`, ask), getJson(`${root}/api/v0/models`, ask)])
  const runners = ollamaRunnersSchema.safeParse(ollama)
  if (runners.success) return [...new Set(runners.data.models.flatMap((m) => [m.name, m.model].filter((name): name is string => name !== undefined)))]
  const listed = lmStudioModelsSchema.safeParse(lmStudio)
  if (listed.success) return listed.data.data.filter((m) => m.state === 'loaded').map((m) => m.id)
  return undefined
}
