import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BrowserWindow, shell } from 'electron'
import { isRendererUrl } from './sender-check'

/** Where the renderer is: the dev server under `npm run dev`, the built index.html otherwise. */
export function rendererUrl(): string {
  return process.env['ELECTRON_RENDERER_URL'] || pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href
}

/** The one app window: sandboxed, context-isolated, with the preload as its only bridge to main. */
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Parley',
    webPreferences: {
      // The preload is bundled to CommonJS because sandboxed preloads cannot load ES modules.
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false
    }
  })

  window.once('ready-to-show', () => window.show())

  // Links that ask for a new window open in the user's browser, never in a second app window.
  window.webContents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url)
    return { action: 'deny' }
  })
  // Nor does the app window itself ever leave the renderer: a plain link opens in the browser too.
  window.webContents.on('will-navigate', (event, url) => {
    if (isRendererUrl(url, rendererUrl())) return
    event.preventDefault()
    openInBrowser(url)
  })

  void window.loadURL(rendererUrl())
  return window
}

function openInBrowser(url: string): void {
  if (url.startsWith('https:') || url.startsWith('http:')) void shell.openExternal(url)
}
