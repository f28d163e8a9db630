import { createRemoteApi, ParleyError, type Settings } from '../../shared'
import { createParleyCore } from '../core/parley-core'
import { BridgeSession } from '../core/service/bridge-session'
import { dispatch } from '../core/service/dispatch'
import { startLocalSocketHost, type LocalSocketHost } from '../host/local-socket'
import type { ParleyLink } from './parley-link'

/**
 * Runs the core here, on the data folder, holding its lock (createParleyCore throws DataFolderInUseError when a
 * Parley already holds it): the same settings, session log and journal the app uses, so the runs are in its history
 * the next time it starts. Calls take the wire's path (dispatch validates them, BridgeSession keeps the event
 * stream), so the command behaves the same in-process as over the socket. While it lasts, the core also serves the
 * local socket, so a second `parley run` on the folder joins it instead of waiting for the lock.
 */
export async function startInProcess(dataDir: string, initialSettings: Settings): Promise<ParleyLink> {
  const core = await createParleyCore({ dataDir, mode: 'headless', initialSettings })
  let host: LocalSocketHost | undefined
  try {
    host = await startLocalSocketHost({ service: core.service, dataDir })
  } catch {
    // Another `parley run` can still wait for the lock; this one does not need the socket.
  }
  const session = new BridgeSession(core.service, (frame) => remote.receive(frame))
  const remote = createRemoteApi({
    async call(method, args) {
      const outcome = await dispatch(core.service, method, args)
      if (outcome.ok) return outcome.result
      throw new ParleyError(outcome.error.code, outcome.error.message)
    },
    send: (frame) => session.receive(frame)
  })
  let closing: Promise<void> | undefined
  return {
    via: 'in-process',
    api: remote.api,
    lost: new Promise<void>(() => {}),
    close() {
      closing ??= (async () => {
        session.close()
        await host?.close()
        await core.shutdown()
      })()
      return closing
    }
  }
}
