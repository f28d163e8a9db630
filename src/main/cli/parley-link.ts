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
  /**
   * Whether the Parley behind the link may come back by itself once it is lost: the app (desktop or browser mode)
   * may be restarting, and it would refuse a folder the command line had taken, so it is given
   * PARLEY_TAKEOVER_SECONDS first. Another command's core never comes back: the folder is taken as soon as it is free.
   */
  readonly mayComeBack: boolean
  /**
   * Lets go: hangs up, or has the in-process core finish the answers it is writing for others and releases the
   * folder. `leaveNow` cuts that wait short: those answers are then interrupted, as a quit would.
   */
  close(leaveNow?: Promise<unknown>): Promise<void>
}
