import { errorPayloadSchema, ParleyError, reportToConsole, withCallErrors, type ParleyApi, type ReportProblem } from '../../../shared'
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

/**
 * A8: the desktop window tells main it is ready once its bridge is made. It keeps no removals (an IPC message is
 * posted to main before a reload can take it, and main's crash takes the window with it), so there is nothing to send
 * first: the queued prompts main brought back at its start run as soon as the window is there, or after 2 s.
 */
export function sayDesktopWindowReady(api: Pick<ParleyApi, 'windowReady'>, report: ReportProblem = reportToConsole): void {
  api.windowReady().catch((error: unknown) => report('could not tell Parley this window is ready', error))
}
