import { app, BrowserWindow, ipcMain, Menu } from 'electron'
import { appMenuTemplate } from './app-menu'
import type { ParleyCore } from '../core/parley-core'
import { AppWindow } from './app-window'
import { guardContents } from './content-guards'
import { bindParleyIpc } from './ipc'
import { startNotifier } from './notifier'
import { runEventsOf } from './run-notifications'
import { SessionOpener } from './session-opener'
import { createTray, type ParleyTray } from './tray'
import { trayIconPath } from './tray-icon'
import { createMainWindow, rendererUrl } from './window'

export interface DesktopShell {
  /** Brings the window to the user: a second launch, the macOS dock. */
  showWindow(): void
  /** The app is quitting (before-quit): closing the window now really closes it. */
  quitting(): void
}

/**
 * The desktop around the core: the guarded window, the IPC bridge, the tray and the notifications. Call after app
 * ready. A "New chat" from the tray and a click on a notification both bring the window forward and ask the
 * renderer to show that chat (session.open, through session-opener.ts).
 */
export function startDesktopShell(core: ParleyCore): DesktopShell {
  const renderer = rendererUrl()
  guardContents(renderer)
  // Electron's default menu, less the item whose key is the window's Regenerate (app-menu.ts).
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform)))

  const notifications = { paused: false }
  // Reachable for as long as the app runs (appWindow's hasTray reads it): a Tray that is collected loses its icon.
  let tray: ParleyTray | undefined
  const appWindow = new AppWindow({
    create: createMainWindow,
    closeToTray: () => core.settings.get().desktop.closeToTray,
    hasTray: () => tray !== undefined
  })
  const opener = new SessionOpener((sessionId) => core.broker.publish({ type: 'session.open', sessionId }))
  const openSession = (sessionId: string): void => opener.open(sessionId, appWindow.show())

  bindParleyIpc({
    ipcMain,
    service: core.service,
    trusted: {
      rendererUrl: renderer,
      isOurWindow: (id) => BrowserWindow.getAllWindows().some((window) => window.webContents.id === id)
    },
    onAnswered: (method) => {
      if (method === 'status') opener.statusAnswered()
    }
  })

  try {
    tray = createTray({
      iconPath: trayIconPath(app.getAppPath(), process.platform),
      broker: core.broker,
      agent: core.agent,
      notifications,
      actions: {
        show: () => appWindow.show(),
        newChat: () => openSession(core.agent.createSession().id),
        quit: () => app.quit()
      }
    })
  } catch (error) {
    // Without a tray the app still works; closing the window then quits it (window-close-policy.ts).
    console.warn(`[parley] no tray icon: ${error instanceof Error ? error.message : String(error)}`)
  }

  startNotifier({
    ...runEventsOf(core),
    sessionTitle: (sessionId) => core.agent.sessions.get(sessionId)?.title ?? null,
    window: () => appWindow.state(),
    settings: () => core.settings.get().desktop.notifications,
    paused: () => notifications.paused,
    open: openSession
  })

  appWindow.show()
  return {
    showWindow: () => appWindow.show(),
    quitting: () => appWindow.quit()
  }
}
