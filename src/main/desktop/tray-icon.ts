import { join } from 'node:path'

/**
 * The tray icon for this platform, in resources/ at the app's root (app.getAppPath(): the folder with package.json,
 * or app.asar once packaged). Electron finds the @2x sibling itself for high-density screens. macOS gets a black
 * "Template" image that the menu bar tints for light and dark mode; Windows and Linux get the coloured one.
 * scripts/tray-icons.ts draws them.
 */
export function trayIconPath(appPath: string, platform: NodeJS.Platform): string {
  return join(appPath, 'resources', platform === 'darwin' ? 'tray-iconTemplate.png' : 'tray-icon.png')
}
