import { app, BrowserWindow, ipcMain } from 'electron'
import { createParleyCore } from './core/parley-core'
import { FileSecretStore } from './core/settings/secret-store'
import { bindParleyIpc } from './desktop/ipc'
import { shutdownBeforeQuit } from './desktop/quit'
import { createMainWindow, rendererUrl } from './desktop/window'

// The desktop app: the core in main, served to the window over IPC (desktop/ipc.ts).

const started = app.whenReady().then(async () => {
  const dataDir = app.getPath('userData')
  // For now API keys sit in a file only this user can read, as in browser mode; a later issue moves them to
  // safeStorage (the OS keychain).
  const core = await createParleyCore({ dataDir, secrets: new FileSecretStore(dataDir) })
  bindParleyIpc({
    ipcMain,
    service: core.service,
    trusted: {
      rendererUrl: rendererUrl(),
      isOurWindow: (id) => BrowserWindow.getAllWindows().some((window) => window.webContents.id === id)
    }
  })
  createMainWindow()

  // macOS keeps the app alive without windows; clicking the dock icon opens one again.
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
  })
  return core
})

started.catch((error: unknown) => {
  console.error('[parley] the app could not start:', error)
  app.exit(1)
})

app.on(
  'before-quit',
  shutdownBeforeQuit(
    async () => (await started).shutdown(),
    () => app.quit()
  )
)

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
