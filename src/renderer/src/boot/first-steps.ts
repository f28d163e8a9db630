import '../zod-csp'
import { connectBridge, type Bridge } from '../bridge'
import { openHistory, type OpenedHistory } from '../db/open-history'
import { ParleyDatabase } from '../db/schema'

/** The two start steps that wait on I/O, begun before the rest of the window's code is even evaluated. */
export interface FirstSteps {
  readonly opening: Promise<OpenedHistory>
  readonly bridge: Promise<Bridge>
}

/**
 * Opens the history and connects the bridge (issue 11 item 4: the database first, before anything that can wait);
 * neither waits for the other. Failures are reported by `startApp`, not left unhandled meanwhile.
 */
export function beginStart(): FirstSteps {
  performance.mark('parley:start')
  const opening = openHistory(() => new ParleyDatabase())
  opening.catch(() => undefined)
  const bridge = connectBridge()
  bridge.catch(() => undefined)
  return { opening, bridge }
}
