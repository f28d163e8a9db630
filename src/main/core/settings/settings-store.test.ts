import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../../shared'
import { SettingsStore } from './settings-store'

const dir = () => mkdtempSync(join(tmpdir(), 'parley-settings-'))

describe('SettingsStore', () => {
  it('starts from the defaults (a local Ollama) and saves validated changes', () => {
    const dataDir = dir()
    const store = new SettingsStore(dataDir)
    expect(store.get().providers[0]?.baseUrl).toBe('http://127.0.0.1:11434/v1')
    store.update({ systemPrompt: 'Be brief.' })
    expect(JSON.parse(readFileSync(store.path, 'utf8')).systemPrompt).toBe('Be brief.')
    expect(new SettingsStore(dataDir).get().systemPrompt).toBe('Be brief.')
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('keeps settings seeded by launch flags on disk at once, so the next start without them uses them too; the defaults are not written', () => {
    const seeded = dir()
    const initial = defaultSettings()
    const flagged = { ...initial, providers: initial.providers.map((p) => ({ ...p, baseUrl: 'http://127.0.0.1:8080/v1' })) }
    new SettingsStore(seeded, flagged)
    expect(JSON.parse(readFileSync(join(seeded, 'settings.json'), 'utf8')).providers[0].baseUrl).toBe('http://127.0.0.1:8080/v1')
    expect(new SettingsStore(seeded).get().providers[0]?.baseUrl).toBe('http://127.0.0.1:8080/v1')
    // A folder that has settings keeps them: other flags don't seed it again.
    const other = { ...initial, providers: initial.providers.map((p) => ({ ...p, baseUrl: 'http://127.0.0.1:1234/v1' })) }
    expect(new SettingsStore(seeded, other).get().providers[0]?.baseUrl).toBe('http://127.0.0.1:8080/v1')
    const plain = dir()
    new SettingsStore(plain)
    expect(readdirSync(plain)).toEqual([])
  })

  it('refuses an invalid change with BadRequest and keeps the old settings', () => {
    const store = new SettingsStore(dir())
    const before = store.get()
    expect(() => store.update({ providers: [] })).toThrow(expect.objectContaining({ code: 'BadRequest' }))
    expect(() =>
      store.update({ models: { large: { providerId: 'nowhere', model: 'x', contextWindow: 8192, maxOutputTokens: 512 } } })
    ).toThrow(/not set up/)
    expect(store.get()).toEqual(before)
  })

  it('keeps a corrupt file aside as a backup, uses the defaults, and says so', () => {
    const dataDir = dir()
    writeFileSync(join(dataDir, 'settings.json'), '{"providers": [ broken')
    const store = new SettingsStore(dataDir)
    expect(store.get()).toEqual(defaultSettings())
    expect(store.recovery?.reason).toMatch(/not JSON/)
    expect(readFileSync(store.recovery?.backupPath ?? '', 'utf8')).toBe('{"providers": [ broken')
  })

  it('treats a file that fails the schema as corrupt too', () => {
    const dataDir = dir()
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ providers: 'nope' }))
    const store = new SettingsStore(dataDir)
    expect(store.recovery?.reason).toBeTruthy()
    expect(store.get()).toEqual(defaultSettings())
  })

  it('C6: a settings file from before loadingTimeoutSeconds loads with the 10-minute default, and it can be changed', () => {
    const dataDir = dir()
    const { loadingTimeoutSeconds: _dropped, ...old } = defaultSettings()
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(old))
    const store = new SettingsStore(dataDir)
    expect(store.recovery).toBeUndefined()
    expect(store.get().loadingTimeoutSeconds).toBe(600)
    store.update({ loadingTimeoutSeconds: 120 })
    expect(new SettingsStore(dataDir).get().loadingTimeoutSeconds).toBe(120)
    expect(() => store.update({ loadingTimeoutSeconds: 1 })).toThrow(expect.objectContaining({ code: 'BadRequest' }))
  })
})

describe('SettingsStore: a crash between the write and the rename', () => {
  it('leaves the old settings whole, and they load', async () => {
    const { spawnSync } = await import('node:child_process')
    const dataDir = dir()
    const store = new SettingsStore(dataDir)
    store.update({ systemPrompt: 'Old and good.' })
    const next = JSON.stringify({ ...store.get(), systemPrompt: 'New, never renamed.' })
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'test-fixtures', 'crash-before-rename.ts'), store.path, next],
      { encoding: 'utf8' }
    )
    expect(child.signal).toBe('SIGKILL')
    expect(child.stdout).not.toContain('not reached')
    // The new content reached the disk, in the temp file only.
    const temps = readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))
    expect(temps).toHaveLength(1)
    expect(readFileSync(join(dataDir, temps[0] as string), 'utf8')).toBe(next)
    const reloaded = new SettingsStore(dataDir)
    expect(reloaded.recovery).toBeUndefined()
    expect(reloaded.get().systemPrompt).toBe('Old and good.')
  })
})
