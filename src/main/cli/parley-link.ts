import type { ParleyApi } from '../../shared'

/**
 * What the command line holds while it talks to Parley: the running app over its local socket, or a core it started
 * in this process on the data folder (holding its lock).
 */
export interface ParleyLink {
  readonly via: 'app' | 'in-process'
  readonly api: ParleyApi
  /** Settles when the link is lost (the app went away); never for an in-process core. */
  readonly lost: Promise<void>
  /** Lets go: hangs up, or shuts the in-process core down and releases the folder. */
  close(): Promise<void>
}
