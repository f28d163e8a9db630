import type { DesktopSettings, ParleyEvent } from '../../shared'
import type { ParleyCore } from '../core/parley-core'
import type { WindowState } from './app-window'
import { decideNotification, type RunNotification } from './notification-policy'

/** A notification Parley raised, as the test probe records it. */
export interface RaisedNotification extends RunNotification {
  /** Whether the OS showed it: false where the system has no notifications, or showing failed. */
  shown: boolean
  at: number
}

/**
 * Where the notifier hears of completed runs: the service's subscription, as a window hears them, only once the
 * journal holds them (B5). Heard earlier, straight from the broker, a RunComplete a crash then took back (its end not
 * yet durable) was told, and told again when the restart published the run's outcome.
 */
export interface RunEvents {
  subscribe(since: number, listener: (event: ParleyEvent) => void): () => void
}

/** Where the app's notifier listens: the core's service, from the seq before the core recovered anything. */
export function runEventsOf(core: Pick<ParleyCore, 'service' | 'startSeq'>): Pick<RunNotificationOptions, 'events' | 'since'> {
  return { events: core.service, since: core.startSeq }
}

export interface RunNotificationOptions {
  events: RunEvents
  /**
   * The seq it listens after: the core's `startSeq`, so that a run whose end a crash kept from being told is told now,
   * once (G4), and none told before the crash is told again.
   */
  since: number
  sessionTitle(sessionId: string): string | null
  window(): WindowState
  /** Read at each run.complete, so a change in the settings panel applies to the next one. */
  settings(): DesktopSettings['notifications']
  paused(): boolean
  /** Shows the notification; answers whether the OS could. */
  raise(notification: RunNotification): boolean
  /** Every notification raised is pushed here, the oldest dropped beyond `recordLimit` (the test probe). */
  record: RaisedNotification[]
  report?: (error: unknown) => void
  now?: () => number
}

export const recordLimit = 100

/**
 * Raises a notification for each run.complete that decideNotification lets through. Only this lifetime's events
 * count (from `since`): runs that completed, and were told, before it started are not told again. Returns the
 * unsubscribe function.
 */
export function notifyOnRunComplete(options: RunNotificationOptions): () => void {
  const report = options.report ?? ((error: unknown) => console.error('[parley] a notification failed:', error))
  const now = options.now ?? Date.now
  return options.events.subscribe(options.since, (event) => {
    if (event.type !== 'run.complete') return
    const notification = decideNotification({
      complete: event.complete,
      sessionTitle: options.sessionTitle(event.complete.sessionId),
      window: options.window(),
      settings: options.settings(),
      paused: options.paused()
    })
    if (!notification) return
    let shown = false
    try {
      shown = options.raise(notification)
    } catch (error) {
      report(error)
    }
    options.record.push({ ...notification, shown, at: now() })
    if (options.record.length > recordLimit) options.record.splice(0, options.record.length - recordLimit)
  })
}
