import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * Where the desktop window's page comes from. `ELECTRON_RENDERER_URL` is electron-vite's dev server, and only a
 * development run may use it: a packaged app honouring it would load (and trust with its IPC) whatever page an
 * environment variable names. Even in development it must be a dev server on this machine.
 */
export function chooseRendererUrl(options: { packaged: boolean; devServerUrl: string | undefined; builtPageUrl: string }): string {
  const { packaged, devServerUrl, builtPageUrl } = options
  if (packaged || !devServerUrl) return builtPageUrl
  return isLocalDevServer(devServerUrl) ? devServerUrl : builtPageUrl
}

function isLocalDevServer(url: string): boolean {
  if (!URL.canParse(url)) return false
  const parsed = new URL(url)
  return parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname) && parsed.username === '' && parsed.password === ''
}

/**
 * The built page beside main's bundle (out/main → out/renderer/index.html): a file:// URL, inside app.asar when
 * packaged. The packaging fuse GrantFileProtocolExtraPrivileges stays on while this is file:// (src/main/packaging).
 */
export function builtPageUrl(mainDir: string): string {
  return pathToFileURL(join(mainDir, '../renderer/index.html')).href
}
