import { join } from 'node:path'
import { app, BrowserWindow } from 'electron'
import { builtPageUrl, chooseRendererUrl } from './renderer-source'
import { secureWebPreferences } from './window-preferences'

/** Where the renderer is: the dev server under `npm run dev` (never in a packaged app), the built index.html otherwise. */
export function rendererUrl(): string {
  return chooseRendererUrl({
    packaged: app.isPackaged,
    devServerUrl: process.env['ELECTRON_RENDERER_URL'],
    builtPageUrl: builtPageUrl(import.meta.dirname)
  })
}

/**
 * The app window: sandboxed and context-isolated (window-preferences.ts), with the preload as its only bridge to
 * main. It shows itself once its page is ready. Its navigation, permissions and Content-Security-Policy are guarded
 * for every page by content-guards.ts; closing and showing it is app-window.ts's business.
 */
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
      ...secureWebPreferences
    }
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(rendererUrl())
  return window
}
