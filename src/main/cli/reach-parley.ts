import { DataFolderInUseError } from '../core/data-lock'
import type { ParleyLink } from './parley-link'

export interface ReachOptions {
  /** The app's local socket, when one answers there. */
  connect: () => Promise<ParleyLink | null>
  /** The core in this process; throws DataFolderInUseError while a Parley holds the folder. */
  startInProcess: () => Promise<ParleyLink>
  /** Gives up (throws ReachTimeout) once this resolves. */
  givingUp: Promise<unknown>
  /**
   * Until this settles, only the app is tried (after a drop: the app is likely restarting, and a core taking the
   * folder first would keep it out). Null: the core may start at once.
   */
  appOnlyUntil: Promise<unknown> | null
  /** Said once, on stderr, when it has to wait. */
  onWait: (message: string) => void
  /** How long to wait between tries. */
  pause?: (ms: number) => Promise<void>
  retryMs?: number
}

/** Nothing answered on the folder, and its lock stayed held, until the command's time was up. */
export class ReachTimeout extends Error {
  override readonly name = 'ReachTimeout'
}

const defaultPause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Reaches the Parley of a data folder: the app over its socket if one answers, else the core in this process. When
 * the folder's lock is held but its socket doesn't answer (the app is starting, or stopping, or is another version),
 * it tries both again every `retryMs` until `givingUp`: it never waits without end.
 */
export async function reachParley(options: ReachOptions): Promise<ParleyLink> {
  const pause = options.pause ?? defaultPause
  const retryMs = options.retryMs ?? 250
  let gaveUp = false
  void options.givingUp.then(() => (gaveUp = true))
  let appOnly = options.appOnlyUntil !== null
  void options.appOnlyUntil?.then(() => (appOnly = false))
  const told = new Set<string>()
  const tellOnce = (message: string): void => {
    if (told.has(message)) return
    told.add(message)
    options.onWait(message)
  }
  for (;;) {
    const app = await options.connect()
    if (app) return app
    if (appOnly) {
      tellOnce('waiting for Parley to come back on this data folder')
    } else {
      try {
        return await options.startInProcess()
      } catch (error) {
        if (!(error instanceof DataFolderInUseError)) throw error
        tellOnce(`${error.message.split(';')[0]}, and it does not answer yet: waiting`)
      }
    }
    await Promise.race([pause(retryMs), options.givingUp])
    if (gaveUp) throw new ReachTimeout('Parley did not answer on this data folder in time.')
  }
}
