import { z } from 'zod'
import type { ModelRef, ProviderConfig } from '../../../shared'
import { nativeRoot, type FetchLike } from './model-vision'

/** llama.cpp's `GET /props`: the context of one slot (`-c` divided among `--parallel` slots). */
const llamaCppPropsSchema = z.object({ default_generation_settings: z.object({ n_ctx: z.number().int().positive() }) })

/** Ollama's `GET /api/ps`: the models loaded now, each with the `num_ctx` it runs with (`context_length`, recent versions). */
const ollamaPsSchema = z.object({
  models: z.array(z.object({ name: z.string().optional(), model: z.string().optional(), context_length: z.number().int().positive().optional() }))
})

/** vLLM's `GET /v1/models`: each model's `max_model_len` (its `--max-model-len`, else the model's own). */
const vllmModelsSchema = z.object({ data: z.array(z.object({ id: z.string(), max_model_len: z.number().int().positive().optional() })) })

/** LM Studio's `GET /api/v0/models/<id>`: the model's own maximum and, when loaded, the context it was loaded with. */
const lmStudioModelSchema = z.object({
  state: z.string().optional(),
  max_context_length: z.number().int().positive().optional(),
  loaded_context_length: z.number().int().positive().optional()
})

/**
 * B2: the context, in tokens, the server runs `model` with, when it says so; `size` undefined when it doesn't (a hosted API,
 * an engine not listed here, a model not loaded yet, a server that doesn't answer in `timeoutMs`).
 * - llama.cpp's server: `GET <root>/props` → `default_generation_settings.n_ctx` (`?model=` picks it in router mode);
 * - Ollama: `GET <root>/api/ps` → the loaded model's `context_length` (the num_ctx it runs with; past it, Ollama
 *   silently drops the start of the prompt, system prompt first);
 * - vLLM: `GET <base>/models` → the model's `max_model_len`;
 * - LM Studio: `GET <root>/api/v0/models/<id>` → `loaded_context_length`, else (not loaded) `max_context_length`.
 * The root is the base URL without its `/v1`. The four are asked at once; each other server answers with a 404 or
 * without the field, and says nothing. The smallest figure said wins. `notLoaded` when Ollama or LM Studio has not
 * loaded the model yet (it says the size it runs with once a turn has loaded it).
 */
export async function servedContext(
  config: ProviderConfig,
  model: string,
  options: { fetchImpl?: FetchLike; timeoutMs?: number; apiKey?: string } = {}
): Promise<ServedAnswer> {
  if (config.kind !== 'openai' || !onThisNetwork(config.baseUrl)) return { size: undefined }
  const ask: Asker = { fetchImpl: options.fetchImpl ?? fetch, timeoutMs: options.timeoutMs ?? 3000, apiKey: options.apiKey }
  const root = nativeRoot(config.baseUrl)
  const said = await Promise.all([
    llamaCppContext(root, model, ask),
    ollamaContext(root, model, ask),
    vllmContext(config.baseUrl.replace(/\/+$/, ''), model, ask),
    lmStudioContext(root, model, ask)
  ])
  const sizes = said.flatMap((answer) => (answer.size === undefined ? [] : [answer.size]))
  return {
    size: sizes.length === 0 ? undefined : Math.min(...sizes),
    ...(said.some((answer) => answer.notLoaded) ? { notLoaded: true } : {})
  }
}

/**
 * Whether a server is on this machine or its local network (loopback, private and link-local addresses, `localhost`,
 * `.local`, a bare host name): where the engines above run. A hosted API (OpenAI, OpenRouter…) is never asked: it
 * serves its models with their full context, and a first turn would wait on four requests across the internet, one of
 * them a list of every model it has.
 */
export function onThisNetwork(baseUrl: string): boolean {
  let host: string
  try {
    host = new URL(baseUrl).hostname.toLowerCase().replace(/^\[|\]$/g, '')
  } catch {
    return false
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.lan')) return true
  if (host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host)) return true
  const ipv4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host)
  if (ipv4) {
    const [a, b] = [Number(ipv4[1]), Number(ipv4[2])]
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
  }
  // A name without a dot (a machine on the local network, `gpu-box`), not an IPv6 address.
  return !host.includes('.') && !host.includes(':')
}

/** How a local server is asked a question: with what, for how long at most, with which key, until what aborts it. */
export interface Asker {
  fetchImpl: FetchLike
  timeoutMs: number
  apiKey: string | undefined
  signal?: AbortSignal | undefined
}

async function llamaCppContext(root: string, model: string, ask: Asker): Promise<ServedAnswer> {
  const read = llamaCppPropsSchema.safeParse(await getJson(`${root}/props?model=${encodeURIComponent(model)}`, ask))
  return { size: read.success ? read.data.default_generation_settings.n_ctx : undefined }
}

async function ollamaContext(root: string, model: string, ask: Asker): Promise<ServedAnswer> {
  const read = ollamaPsSchema.safeParse(await getJson(`${root}/api/ps`, ask))
  if (!read.success) return { size: undefined }
  const names = ollamaNames(model)
  const loaded = read.data.models.find((m) => names.includes(m.name ?? '') || names.includes(m.model ?? ''))
  // Not loaded: it will be once a turn asks for it, with the num_ctx then listed here.
  return loaded ? { size: loaded.context_length } : { size: undefined, notLoaded: true }
}

/** The names Ollama may list a model under: with its tag, "llama3.2" is "llama3.2:latest". */
export function ollamaNames(model: string): string[] {
  return model.includes(':') ? [model] : [model, `${model}:latest`]
}

async function vllmContext(base: string, model: string, ask: Asker): Promise<ServedAnswer> {
  const read = vllmModelsSchema.safeParse(await getJson(`${base}/models`, ask))
  return { size: read.success ? read.data.data.find((m) => m.id === model)?.max_model_len : undefined }
}

async function lmStudioContext(root: string, model: string, ask: Asker): Promise<ServedAnswer> {
  const read = lmStudioModelSchema.safeParse(await getJson(`${root}/api/v0/models/${encodeURIComponent(model)}`, ask))
  if (!read.success) return { size: undefined }
  const { loaded_context_length: loaded, max_context_length: most, state } = read.data
  if (loaded !== undefined) return { size: loaded }
  // Not loaded (or loading): its maximum is a bound; the context it loads with is said once it is loaded.
  return most === undefined ? { size: undefined } : { size: most, ...(state === 'loaded' ? {} : { notLoaded: true }) }
}

/** The JSON a GET answers with, or undefined when it fails, times out, is aborted or isn't a success. */
export async function getJson(url: string, ask: Asker): Promise<unknown> {
  try {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (ask.apiKey) headers['authorization'] = `Bearer ${ask.apiKey}`
    const timeout = AbortSignal.timeout(ask.timeoutMs)
    const signal = ask.signal ? AbortSignal.any([timeout, ask.signal]) : timeout
    const response = await ask.fetchImpl(url, { method: 'GET', headers, signal })
    return response.ok ? await response.json() : undefined
  } catch {
    return undefined
  }
}

/**
 * B2: the model as a turn sizes itself when the server runs it with `served` tokens: the smaller of that and the
 * settings' window. The answer's room stays as set unless it would take more than half the smaller window; then it
 * is a quarter of it, so history keeps room.
 */
export function withServedContext(model: ModelRef, served: number | undefined): ModelRef {
  if (served === undefined || served >= model.contextWindow) return model
  const contextWindow = Math.max(served, 512)
  const maxOutputTokens = model.maxOutputTokens > contextWindow / 2 ? Math.floor(contextWindow / 4) : model.maxOutputTokens
  return { ...model, contextWindow, maxOutputTokens }
}

/** What a turn asks of the served contexts: the size (waiting briefly at most), and that a refusal makes it stale. */
export interface ServedContextPort {
  /** The context the server runs this model with, or undefined when it says nothing or doesn't answer quickly. */
  size(providerId: string, model: string, signal: AbortSignal): Promise<number | undefined>
  /** The server refused a request as too long for its context: ask it again next time. */
  refused(providerId: string, model: string): void
}

export const noServedContext: ServedContextPort = { size: async () => undefined, refused: () => {} }

/** How long what a server said is used as it is; past it, a turn still uses it and the server is asked again meanwhile. */
export const servedContextKeepMs = 5 * 60_000
/** The longest a turn waits for the answer; past it the turn goes on with the settings and the answer is kept for later. */
export const servedContextWaitMs = 1000

/** What a server said of a model's context. */
export interface ServedAnswer {
  /** The context in tokens (or an upper bound for a model not loaded yet), or undefined when it said nothing. */
  size: number | undefined
  /** The model is not loaded yet: the server will say the size it runs with once it is, so the answer is not kept. */
  notLoaded?: boolean
}

interface Known {
  size: number | undefined
  at: number
}

/**
 * The served contexts, asked once per provider (and its address) and model. What a server said is kept; after
 * `servedContextKeepMs` a turn still uses it while the server is asked again, so only the first turn (and the first
 * after a context refusal, which forgets it) waits, and never longer than `waitMs`: a slower answer is kept for the
 * next turn. A model the server hasn't loaded yet (Ollama lists only loaded models) is asked again at the next turn.
 * Concurrent turns share one question.
 */
export class ServedContexts implements ServedContextPort {
  private readonly known = new Map<string, Known>()
  private readonly asking = new Map<string, Promise<number | undefined>>()

  constructor(
    private readonly config: (providerId: string) => ProviderConfig | undefined,
    private readonly ask: (config: ProviderConfig, model: string) => Promise<ServedAnswer>,
    private readonly options: { now?: () => number; waitMs?: number; most?: number } = {}
  ) {}

  async size(providerId: string, model: string, signal: AbortSignal): Promise<number | undefined> {
    const config = this.config(providerId)
    if (!config) return undefined
    const key = JSON.stringify([providerId, config.baseUrl, model])
    const known = this.known.get(key)
    if (known && this.now() - known.at < servedContextKeepMs) return known.size
    const asking = this.question(key, config, model)
    if (known) return known.size
    return within(asking, this.options.waitMs ?? servedContextWaitMs, signal)
  }

  refused(providerId: string, model: string): void {
    for (const key of [...this.known.keys()]) {
      const [id, , name] = JSON.parse(key) as [string, string, string]
      if (id === providerId && name === model) this.known.delete(key)
    }
  }

  private question(key: string, config: ProviderConfig, model: string): Promise<number | undefined> {
    const asking = this.asking.get(key)
    if (asking) return asking
    const asked = this.ask(config, model).then(
      (answer) => {
        if (answer.notLoaded) this.known.delete(key)
        else this.remember(key, { size: answer.size, at: this.now() })
        return answer.size
      },
      () => undefined
    )
    this.asking.set(key, asked)
    void asked.finally(() => this.asking.delete(key))
    return asked
  }

  private now(): number {
    return (this.options.now ?? Date.now)()
  }

  private remember(key: string, known: Known): void {
    this.known.delete(key)
    this.known.set(key, known)
    if (this.known.size > (this.options.most ?? 100)) this.known.delete(this.known.keys().next().value ?? key)
  }
}

/** The promise's value, or undefined once `ms` pass or the signal aborts (the promise goes on). */
function within<T>(promise: Promise<T>, ms: number, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined)
  return new Promise((resolve) => {
    const done = (value: T | undefined) => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      resolve(value)
    }
    const onAbort = () => done(undefined)
    const timer = setTimeout(() => done(undefined), ms)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(done, () => done(undefined))
  })
}
