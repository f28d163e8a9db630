import { app, BrowserWindow } from 'electron'
import { createMainWindow } from './desktop/window'

void app.whenReady().then(() => {
  createMainWindow()

  // macOS keeps the app alive without windows; clicking the dock icon opens one again.
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
