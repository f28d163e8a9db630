import { describe, expect, it } from 'vitest'
import { decideWindowClose } from './window-close-policy'

describe('closing the window', () => {
  it('hides it to the tray when close-to-tray is on, so runs go on', () => {
    expect(decideWindowClose({ closeToTray: true, quitting: false, hasTray: true })).toBe('hide')
  })

  it('really closes it when close-to-tray is off', () => {
    expect(decideWindowClose({ closeToTray: false, quitting: false, hasTray: true })).toBe('close')
  })

  it('really closes it while quitting, whatever the setting', () => {
    expect(decideWindowClose({ closeToTray: true, quitting: true, hasTray: true })).toBe('close')
    expect(decideWindowClose({ closeToTray: false, quitting: true, hasTray: true })).toBe('close')
  })

  it('really closes it when there is no tray icon to bring it back from', () => {
    expect(decideWindowClose({ closeToTray: true, quitting: false, hasTray: false })).toBe('close')
  })
})
