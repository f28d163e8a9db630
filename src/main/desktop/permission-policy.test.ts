import { describe, expect, it } from 'vitest'
import { mayGrantPermission } from './permission-policy'

const renderer = 'file:///app/out/renderer/index.html'

describe('web permissions', () => {
  it('refuses every permission a page may ask for, to our own renderer too', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'display-capture',
      'fullscreen',
      'openExternal',
      'persistent-storage',
      'hid',
      'serial',
      'usb',
      'unknown'
    ]) {
      expect(mayGrantPermission(permission, renderer, renderer), permission).toBe(false)
    }
  })

  it('lets only our renderer write to the clipboard', () => {
    expect(mayGrantPermission('clipboard-sanitized-write', renderer, renderer)).toBe(true)
    expect(mayGrantPermission('clipboard-sanitized-write', 'https://example.com/', renderer)).toBe(false)
    expect(mayGrantPermission('clipboard-sanitized-write', 'file:///tmp/x.html', renderer)).toBe(false)
    expect(mayGrantPermission('clipboard-sanitized-write', '', renderer)).toBe(false)
  })
})
