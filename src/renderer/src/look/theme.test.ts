import { describe, expect, it } from 'vitest'
import { applyTheme, nextTheme, readThemeChoice, saveThemeChoice, type PreferenceStorage } from './theme'

function memoryStorage(): PreferenceStorage & { values: Map<string, string> } {
  const values = new Map<string, string>()
  return { values, getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) }
}

describe('the theme choice', () => {
  it('is the system’s until one is saved, and the saved one is read back', () => {
    const storage = memoryStorage()
    expect(readThemeChoice(storage)).toBe('system')
    saveThemeChoice(storage, 'dark')
    expect(readThemeChoice(storage)).toBe('dark')
  })

  it('a damaged value, refused storage or none at all fall back to the system’s, and never throw', () => {
    const storage = memoryStorage()
    storage.values.set('parley.theme', 'purple')
    expect(readThemeChoice(storage)).toBe('system')
    const refusing: PreferenceStorage = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      }
    }
    expect(readThemeChoice(refusing)).toBe('system')
    expect(() => saveThemeChoice(refusing, 'light')).not.toThrow()
    expect(readThemeChoice(undefined)).toBe('system')
  })

  it('sets data-theme on the root for light and dark, and removes it for the system’s', () => {
    const dataset: Record<string, string> = {}
    const root = { dataset } as unknown as HTMLElement
    applyTheme(root, 'dark')
    expect(dataset['theme']).toBe('dark')
    applyTheme(root, 'system')
    expect(dataset['theme']).toBeUndefined()
  })

  it('the button cycles system, light, dark', () => {
    expect([nextTheme('system'), nextTheme('light'), nextTheme('dark')]).toEqual(['light', 'dark', 'system'])
  })
})
