import { apiMethods, ParleyError, toErrorPayload, type ApiMethod, type ErrorPayload } from '../../../shared'
import { badArgumentsText } from './bad-arguments'
import type { ParleyService } from './parley-service'

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: ErrorPayload }

/**
 * Validates a request/response call from either transport and runs it. Anything wrong with the payload (an unknown
 * method, the wrong arguments) becomes a typed error and changes nothing. Never throws.
 */
export async function dispatch(service: ParleyService, method: unknown, args: unknown): Promise<DispatchResult> {
  try {
    if (typeof method !== 'string' || !Object.hasOwn(apiMethods, method)) {
      const name = typeof method === 'string' ? method.slice(0, 100) : typeof method
      throw new ParleyError('UnknownMethod', `Parley has no method called ${JSON.stringify(name)}.`)
    }
    const name = method as ApiMethod
    const parsed = apiMethods[name].args.safeParse(args)
    if (!parsed.success) throw new ParleyError('BadRequest', badArgumentsText(name, parsed.error, args))
    const call = service[name] as (...a: unknown[]) => Promise<unknown>
    const result = await call.apply(service, parsed.data as unknown[])
    return { ok: true, result }
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) }
  }
}
