import type { ProviderKind } from '../../../shared'
import { describeProviderError, type ProviderError } from './errors'

/**
 * What Test and the model lists say when a server can't list its models: the failure's sentence, and, when an
 * OpenAI-compatible server has no models route (404) at an address without /v1, where such servers usually answer
 * (LM Studio at `http://127.0.0.1:1234` answers "No route for GET /models").
 */
export function describeModelsListFailure(failure: ProviderError, kind: ProviderKind | undefined): string {
  const text = describeProviderError(failure)
  const baseUrl = failure.baseUrl?.trim().replace(/\/+$/, '')
  if (kind !== 'openai' || failure.status !== 404 || !baseUrl || /\/v1$/i.test(baseUrl)) return text
  return `${text} OpenAI-compatible servers usually answer under /v1: try ${baseUrl}/v1`
}
