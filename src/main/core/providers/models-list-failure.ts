import type { ProviderKind } from '../../../shared'
import { describeProviderError, type ProviderError } from './errors'

/**
 * What Test and the model lists say when a server can't list its models: the failure's sentence, and, when an
 * OpenAI-compatible server has no models route at an address without /v1, where such servers usually answer. No route
 * is a 404, or LM Studio's 200 saying "Unexpected endpoint or method. (GET /models)" (its Developer tab shows its
 * address as `http://127.0.0.1:1234`, without the /v1).
 */
export function describeModelsListFailure(failure: ProviderError, kind: ProviderKind | undefined): string {
  const text = describeProviderError(failure)
  const baseUrl = failure.baseUrl?.trim().replace(/\/+$/, '')
  const noRoute = failure.status === 404 || /unexpected endpoint or method/i.test(failure.message)
  if (kind !== 'openai' || !noRoute || !baseUrl || /\/v1$/i.test(baseUrl)) return text
  return `${text} OpenAI-compatible servers usually answer under /v1: try ${baseUrl}/v1`
}
