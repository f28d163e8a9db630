import { z } from 'zod'
import { nativeRoot } from './model-vision'
import { onThisNetwork } from './served-context'

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
