import { errorPayloadSchema, ParleyError, withCallErrors, type ParleyApi } from '../../../shared'
import type { BridgeConnection } from './connection'

/**
 * The desktop bridge: `window.parley`, which the preload exposed. Electron's contextBridge copies only the message of
 * an Error, so the preload rejects with a plain `{ name, code, message }` object; here it becomes a ParleyError of
 * this page again, so `instanceof ParleyError` and `code` work the same as in browser mode.
 */
export function fromDesktop(exposed: ParleyApi): ParleyApi & Pick<BridgeConnection, 'connectionState'> {
  return { ...withCallErrors(exposed, asParleyError), connectionState: 'open' }
}

/** A `{ code, message }` payload (however it travelled) as a ParleyError; anything else as it is. */
export function asParleyError(error: unknown): unknown {
  if (error instanceof ParleyError) return error
  const payload = errorPayloadSchema.safeParse(error)
  return payload.success ? new ParleyError(payload.data.code, payload.data.message) : error
}
