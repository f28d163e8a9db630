import type { MenuItemConstructorOptions } from 'electron'

/** The menu items whose keys are the window's own: View → Force Reload is Ctrl+Shift+R (⇧⌘R), Regenerate's key. */
export const menuRolesLeftOut = ['forceReload'] as const

/**
 * The application menu, made of Electron's roles. Electron's default menu has View → Force Reload on Ctrl+Shift+R
 * (⇧⌘R on a Mac), the key the window gives Regenerate: on a Mac the menu takes a key before the page, so Regenerate
 * never worked there, and elsewhere a press with no answer to regenerate reloaded the window. This one is the default
 * without it. The Edit menu stays: on a Mac, copy and paste in text fields go through it.
 */
export function appMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' }
    ]
  }
  return [...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []), { role: 'fileMenu' }, { role: 'editMenu' }, view, { role: 'windowMenu' }]
}
