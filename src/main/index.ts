import { app, dialog, safeStorage } from 'electron'
import { DataFolderInUseError } from './core/data-lock'
import { DataFolderUnusableError } from './core/data-folder'
import { createParleyCore } from './core/parley-core'
import { EncryptedSecretStore } from './core/settings/encrypted-secret-store'
import { startLocalSocketHost, type LocalSocketHost } from './host/local-socket'
import { shutdownBeforeQuit } from './desktop/quit'
import { startDesktopShell, type DesktopShell } from './desktop/shell'
import { desktopFolderRefusal, launchSettingsIgnored, readLaunchEnvironment, readRecoveryHoldMs, type LaunchSettings } from './launch-settings'

// The desktop app: the core in main, and around it the window, the IPC bridge, the tray and the notifications
// (desktop/shell.ts). Its data folder is app.getPath('userData'); PARLEY_DATA_DIR moves it, Chromium's own data (the
// renderer's IndexedDB) included, so one folder is one whole Parley. PARLEY_PROVIDER_URL, PARLEY_MODEL and
// PARLEY_SMALL_MODEL set up a new folder (launch-settings.ts): the end-to-end tests use them.

function main(): void {
  let launch: LaunchSettings
  let recoveryHoldMs: number
  try {
    launch = readLaunchEnvironment(process.env)
    recoveryHoldMs = readRecoveryHoldMs(process.env)
  } catch (error) {
    console.error(`Parley: ${error instanceof Error ? error.message : String(error)}`)
    app.exit(2)
    return
  }
  if (launch.dataDir) {
    // A folder named outright that holds someone's files and none of Parley's is refused before Electron writes its
    // own files (the single-instance lock first) among them, as browser mode and the command line refuse it.
    const refusal = desktopFolderRefusal(launch.dataDir)
    if (refusal !== null) {
      console.error(`Parley: ${refusal}`)
      // Safe before ready (Electron's docs), and a desktop app started from its icon has no terminal to read.
      dialog.showErrorBox('Parley did not start in this folder', refusal)
      app.exit(2)
      return
    }
    // Before anything reads userData: the single-instance lock lives there too.
    app.setPath('userData', launch.dataDir)
  }

  // One Parley per data folder. A second launch hands over to the first (its second-instance shows the window) and
  // leaves without touching the core.
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }

  let shell: DesktopShell | undefined
  let local: LocalSocketHost | undefined
  const started = app.whenReady().then(async () => {
    const dataDir = app.getPath('userData')
    const core = await createParleyCore({
      dataDir,
      mode: 'desktop',
      initialSettings: launch.initialSettings,
      // A8: the window that opens says when it is ready (its bridge is made); queued prompts a crash left wait for it.
      recoveryHoldMs,
      // API keys are encrypted by the OS keychain. safeStorage works only after ready, which this is.
      secrets: (settings) => new EncryptedSecretStore(settings, safeStorage)
    })
    if (launchSettingsIgnored(launch, core.settings.get())) {
      console.warn(`[parley] ${dataDir} already has settings, so PARLEY_PROVIDER_URL and the model variables are not used.`)
    }
    // Windows shows a notification only for an app with an id; unpackaged, the Electron binary's path serves.
    if (process.platform === 'win32') app.setAppUserModelId(app.isPackaged ? 'app.parley.desktop' : process.execPath)
    shell = startDesktopShell(core)
    // `parley run` reaches the app over a socket in the data folder (host/local-socket.ts); without it, the command
    // line would wait for the folder's lock, so a failure is said and the app goes on.
    local = await startLocalSocketHost({ service: core.service, dataDir }).catch((error: unknown) => {
      console.error('[parley] the command line cannot reach this app: its local socket did not start:', error)
      return undefined
    })
    return core
  })

  started.catch((error: unknown) => {
    // The single-instance lock only knows other desktop apps; browser mode on the same folder is refused here.
    if (error instanceof DataFolderInUseError) {
      dialog.showErrorBox('Parley is already using this data folder', error.message)
      app.exit(1)
      return
    }
    console.error('[parley] the app could not start:', error)
    // Said in a dialog too: a desktop app started from its icon has no terminal to read.
    const sentence = error instanceof DataFolderUnusableError ? error.message : `Parley could not start: ${error instanceof Error ? error.message : String(error)}`
    dialog.showErrorBox('Parley could not start', sentence)
    app.exit(1)
  })

  app.on('second-instance', () => shell?.showWindow())
  // macOS: a click on the dock icon brings the window back, or makes a new one if it was closed.
  app.on('activate', () => shell?.showWindow())
  // Every quit (the tray, the app menu, Cmd+Q, Playwright's close) first lets the window really close, then holds
  // the quit until the core has shut down once (rule D6).
  app.on('before-quit', () => shell?.quitting())
  app.on(
    'before-quit',
    shutdownBeforeQuit(
      async () => {
        const core = await started
        // The socket goes first: once the core lets go of the folder, a `parley run` may take it over.
        await local?.close()
        await core.shutdown()
      },
      () => app.quit()
    )
  )
  // Only a window that was really closed gets here (close-to-tray only hides it). macOS keeps the app in the dock.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}

main()
