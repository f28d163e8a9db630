import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { appMenuTemplate, menuRolesLeftOut } from './app-menu'

/** Every role in a menu template, submenus included. */
function rolesOf(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...(Array.isArray(item.submenu) ? rolesOf(item.submenu) : [])])
}

describe('the application menu', () => {
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    it(`${platform}: has no Force Reload (Ctrl+Shift+R / ⇧⌘R is Regenerate in the window), and keeps Edit, zoom and the window's roles`, () => {
      const roles = rolesOf(appMenuTemplate(platform))
      for (const role of menuRolesLeftOut) expect(roles).not.toContain(role)
      expect(roles).toEqual(expect.arrayContaining(['editMenu', 'fileMenu', 'windowMenu', 'reload', 'zoomIn', 'zoomOut', 'resetZoom']))
      // No accelerator of our own: each key is a role's, whose keys Electron sets.
      const accelerators = JSON.stringify(appMenuTemplate(platform)).includes('accelerator')
      expect(accelerators).toBe(false)
    })
  }

  it('a Mac gets the app menu (About, Hide, Quit) first; elsewhere File comes first', () => {
    expect(appMenuTemplate('darwin')[0]).toEqual({ role: 'appMenu' })
    expect(appMenuTemplate('linux')[0]).toEqual({ role: 'fileMenu' })
  })
})
