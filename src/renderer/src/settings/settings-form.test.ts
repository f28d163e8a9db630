import { describe, expect, it } from 'vitest'
import { defaultSettings, type SettingsView } from '../../../shared'
import { formFromSettings, keyIsSet, patchFromForm } from './settings-form'

function view(apiKeys: Record<string, boolean> = {}): SettingsView {
  return { ...defaultSettings(), apiKeys }
}

describe('settings form', () => {
  it('edits the provider the answering model uses', () => {
    const form = formFromSettings(view())
    expect(form).toMatchObject({ providerId: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2', apiKey: '' })
  })

  it('makes a patch main accepts, with the key only when one was typed', () => {
    const settings = view()
    const form = { ...formFromSettings(settings), baseUrl: ' http://127.0.0.1:1234/v1 ', model: 'qwen3' }
    const result = patchFromForm(settings, form)
    expect('patch' in result && result.patch.providers?.[0]?.baseUrl).toBe('http://127.0.0.1:1234/v1')
    expect('patch' in result && result.patch.models?.large.model).toBe('qwen3')
    expect('patch' in result && result.patch.apiKey).toBeUndefined()

    const withKey = patchFromForm(settings, { ...form, apiKey: ' sk-test ' })
    expect('patch' in withKey && withKey.patch.apiKey).toEqual({ providerId: 'ollama', key: 'sk-test' })
    const cleared = patchFromForm(settings, { ...form, clearKey: true })
    expect('patch' in cleared && cleared.patch.apiKey).toEqual({ providerId: 'ollama', key: null })
  })

  it('edits the desktop settings, keeping "only in the background" while notifications are off', () => {
    const settings = view()
    const form = formFromSettings(settings)
    expect(form).toMatchObject({ closeToTray: true, notify: true, notifyOnlyInBackground: true })

    const result = patchFromForm(settings, { ...form, closeToTray: false, notify: false })
    expect('patch' in result && result.patch.desktop).toEqual({
      closeToTray: false,
      notifications: { enabled: false, onlyInBackground: true }
    })
  })

  it('reads back the desktop settings main saved', () => {
    const saved = { ...view(), desktop: { closeToTray: false, notifications: { enabled: true, onlyInBackground: false } } }
    expect(formFromSettings(saved)).toMatchObject({ closeToTray: false, notify: true, notifyOnlyInBackground: false })
  })

  it('names the field that is wrong', () => {
    const settings = view()
    const result = patchFromForm(settings, { ...formFromSettings(settings), baseUrl: 'not a url', model: '' })
    expect('error' in result && result.error).toMatch(/Base URL: /)
    expect('error' in result && result.error).toMatch(/Model: /)
  })

  it('says whether a key is set without ever holding it', () => {
    expect(keyIsSet(view({ ollama: true }), 'ollama')).toBe(true)
    expect(keyIsSet(view(), 'ollama')).toBe(false)
  })
})
