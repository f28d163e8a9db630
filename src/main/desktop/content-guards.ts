import { app, session, shell, type WebContents } from 'electron'
import { withContentSecurityPolicy } from './content-security-policy'
import { decideNavigation } from './navigation-policy'
import { mayGrantPermission } from './permission-policy'

// The Electron side of the window's security: each decision is a plain function with its own test
// (content-security-policy.ts, navigation-policy.ts, permission-policy.ts); this file only hands them to Electron.

/**
 * Guards every page Parley's session shows: our Content-Security-Policy on each response (on top of the meta tag,
 * which is what still holds for file: pages if Chromium skips the header there), web permissions refused, and
 * every webContents ever made kept on our renderer. Call once, after app ready and before the first window.
 */
export function guardContents(rendererUrl: string): void {
  const guarded = session.defaultSession
  guarded.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) })
  })
  guarded.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(mayGrantPermission(permission, details.requestingUrl, rendererUrl))
  })
  guarded.setPermissionCheckHandler((contents, permission, _origin, details) =>
    mayGrantPermission(permission, details.requestingUrl ?? contents?.getURL() ?? '', rendererUrl)
  )
  // Registered before the first window exists, so no page escapes it.
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, rendererUrl))
}

function guardNavigation(contents: WebContents, rendererUrl: string): void {
  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url, rendererUrl)
    if (decision === 'allow') return
    event.preventDefault()
    if (decision === 'open-external') openInBrowser(event.url)
  })
  // Frames inside the page (CSP allows none) may not go anywhere but our renderer, nor open the browser.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && decideNavigation(event.url, rendererUrl) !== 'allow') event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    if (decideNavigation(url, rendererUrl, 'new-window') === 'open-external') openInBrowser(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function openInBrowser(url: string): void {
  shell.openExternal(url).catch((error: unknown) => {
    console.warn(`[parley] the browser could not open a link: ${error instanceof Error ? error.message : String(error)}`)
  })
}
