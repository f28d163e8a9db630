import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron'
import type { EventBroker } from '../core/events/event-broker'
import { trayMenu, trayTooltip, watchRunCounts, type RunCounts, type RunQueries, type TrayMenuEntry } from './tray-state'

export interface TrayOptions {
  iconPath: string
  broker: Pick<EventBroker, 'subscribe' | 'lastSeq'>
  agent: RunQueries
  /** Shared with the notifier; the menu's checkbox flips it. For this run of the app only. */
  notifications: { paused: boolean }
  actions: { show(): void; newChat(): void; quit(): void }
}

export interface ParleyTray {
  destroy(): void
}

/**
 * The tray icon: its tooltip says what runs (tray-state.ts), its menu shows the window, makes a new chat, pauses
 * notifications and quits. Throws when the icon cannot be read, so the caller can go on without a tray.
 */
export function createTray(options: TrayOptions): ParleyTray {
  const icon = nativeImage.createFromPath(options.iconPath)
  if (icon.isEmpty()) throw new Error(`the tray icon is missing or unreadable: ${options.iconPath}`)
  if (process.platform === 'darwin') icon.setTemplateImage(true)
  const tray = new Tray(icon)
  let counts: RunCounts = { running: 0, queued: 0 }

  const showState = (): void => tray.setToolTip(trayTooltip(counts, options.notifications.paused))
  const actions = { show: options.actions.show, 'new-chat': options.actions.newChat, quit: options.actions.quit }
  const menuItem = (entry: TrayMenuEntry): MenuItemConstructorOptions => {
    switch (entry.kind) {
      case 'separator':
        return { type: 'separator' }
      case 'checkbox':
        return {
          type: 'checkbox',
          label: entry.label,
          checked: entry.checked,
          click: (item) => {
            options.notifications.paused = item.checked
            showState()
            buildMenu()
          }
        }
      case 'item':
        return { label: entry.label, click: () => actions[entry.action]() }
    }
  }
  // Rebuilt rather than changed in place: Linux's tray shows a menu's changes only when it is set again.
  const buildMenu = (): void =>
    tray.setContextMenu(
      Menu.buildFromTemplate(trayMenu({ notificationsPaused: options.notifications.paused }).map(menuItem))
    )

  buildMenu()
  const stopWatching = watchRunCounts(options.broker, options.agent, (next) => {
    counts = next
    showState()
  })
  // On Windows a click on the icon brings the window back; macOS and Linux open the menu instead.
  if (process.platform === 'win32') tray.on('click', () => options.actions.show())

  return {
    destroy() {
      stopWatching()
      tray.destroy()
    }
  }
}
