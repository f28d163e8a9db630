import { Notification } from 'electron'
import type { RunNotification } from './notification-policy'
import { notifyOnRunComplete, type RaisedNotification, type RunNotificationOptions } from './run-notifications'

export type NotifierOptions = Omit<RunNotificationOptions, 'raise' | 'record'> & {
  /** A click on a notification: show the window and open that session. */
  open(sessionId: string): void
}

/**
 * Test probe: the notifications main raised, newest last (at most run-notifications.ts's recordLimit). It is also
 * put on globalThis.__parleyNotifications, so a Playwright test can read it with
 * `app.evaluate(() => globalThis.__parleyNotifications)`. It holds titles and answer previews, never keys.
 */
export const raisedNotifications: RaisedNotification[] = []

/** Electron drops a notification's click handler when the object is collected, so the shown ones are held here. */
const onScreen = new Set<Notification>()
const maxOnScreen = 50

/** Raises a desktop notification for each completed run that notification-policy.ts lets through. */
export function startNotifier(options: NotifierOptions): () => void {
  ;(globalThis as { __parleyNotifications?: RaisedNotification[] }).__parleyNotifications = raisedNotifications
  return notifyOnRunComplete({
    ...options,
    record: raisedNotifications,
    raise: (notification) => show(notification, options.open)
  })
}

function show(notification: RunNotification, open: (sessionId: string) => void): boolean {
  if (!Notification.isSupported()) return false
  const shown = new Notification({ title: notification.title, body: notification.body })
  hold(shown)
  shown.on('click', () => {
    onScreen.delete(shown)
    open(notification.sessionId)
  })
  shown.on('close', () => onScreen.delete(shown))
  shown.show()
  return true
}

function hold(notification: Notification): void {
  onScreen.add(notification)
  // Some systems never say a notification closed: forget the oldest rather than hold them all.
  for (const old of onScreen) {
    if (onScreen.size <= maxOnScreen) break
    onScreen.delete(old)
  }
}
