import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultSettings } from '../shared'
import { desktopFolderRefusal, launchSettingsIgnored, readLaunchEnvironment, readRecoveryHoldMs, UsageError } from './launch-settings'

describe("the desktop app's launch settings (its environment)", () => {
  it('asks for nothing by default: the usual data folder and the default settings', () => {
    expect(readLaunchEnvironment({})).toEqual({
      dataDir: undefined,
      initialSettings: defaultSettings(),
      customSettings: false
    })
    expect(readLaunchEnvironment({ PARLEY_DATA_DIR: '', PARLEY_MODEL: '' }).customSettings).toBe(false)
  })

  it('reads the data folder, the provider and the models, as browser mode does', () => {
    const launch = readLaunchEnvironment({
      PARLEY_DATA_DIR: 'relative/data',
      PARLEY_PROVIDER_URL: 'http://127.0.0.1:9999/v1',
      PARLEY_MODEL: 'large',
      PARLEY_SMALL_MODEL: 'small',
      // browser mode's own variables mean nothing here
      PARLEY_PORT: 'not a port',
      PARLEY_TOKEN: 'short'
    })
    expect(launch.dataDir).toBe(resolve('relative/data'))
    expect(launch.customSettings).toBe(true)
    expect(launch.initialSettings).toMatchObject({
      providers: [{ id: 'ollama', kind: 'openai', baseUrl: 'http://127.0.0.1:9999/v1' }],
      models: { large: { providerId: 'ollama', model: 'large' }, small: { providerId: 'ollama', model: 'small' } }
    })
  })

  it('refuses a provider URL that is not http or https', () => {
    expect(() => readLaunchEnvironment({ PARLEY_PROVIDER_URL: 'file:///etc/passwd' })).toThrow(UsageError)
    expect(() => readLaunchEnvironment({ PARLEY_MODEL: 'x'.repeat(500) })).toThrow(UsageError)
  })

  it('says when a data folder that already has settings overrides what the launch asked for', () => {
    const launch = readLaunchEnvironment({ PARLEY_MODEL: 'wanted' })
    expect(launchSettingsIgnored(launch, launch.initialSettings)).toBe(false)
    expect(launchSettingsIgnored(launch, defaultSettings())).toBe(true)
    expect(launchSettingsIgnored(readLaunchEnvironment({}), { ...defaultSettings(), systemPrompt: 'mine' })).toBe(false)
  })

  it('A8: PARLEY_RECOVERY_HOLD_MS: 2000 by default, a whole number of milliseconds up to a minute, else a UsageError', () => {
    expect(readRecoveryHoldMs({})).toBe(2_000)
    expect(readRecoveryHoldMs({ PARLEY_RECOVERY_HOLD_MS: '0' })).toBe(0)
    expect(readRecoveryHoldMs({ PARLEY_RECOVERY_HOLD_MS: ' 750 ' })).toBe(750)
    expect(readRecoveryHoldMs({ PARLEY_RECOVERY_HOLD_MS: '60000' })).toBe(60_000)
    for (const bad of ['soon', '2s', '-5', '1e3', '60001', '123456']) {
      expect(() => readRecoveryHoldMs({ PARLEY_RECOVERY_HOLD_MS: bad }), bad).toThrow(UsageError)
    }
  })
})

describe("the desktop app's data folder named by PARLEY_DATA_DIR", () => {
  const made: string[] = []
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  /** A folder holding these files (a name ending in / is a folder). */
  const folderWith = (...names: string[]): string => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-desktop-folder-'))
    made.push(dir)
    for (const name of names) {
      if (name.endsWith('/')) mkdirSync(join(dir, name))
      else writeFileSync(join(dir, name), 'x')
    }
    return dir
  }

  it("refuses a folder of someone's files, naming a few and where the path came from, and writes nothing there", () => {
    const dir = folderWith('.bashrc', 'Documents/', 'Music/', 'notes.txt', 'Local State')
    const refusal = desktopFolderRefusal(dir)
    expect(refusal).toBe(
      `${dir} (from PARLEY_DATA_DIR) is not a Parley data folder: it holds other files (.bashrc, Documents, Music and 1 more) ` +
        `and none of Parley's, so Parley did not start there and wrote nothing. Start it without PARLEY_DATA_DIR to use its ` +
        `own folder, or name a new or empty one.`
    )
    expect(readdirSync(dir).sort()).toEqual(['.bashrc', 'Documents', 'Local State', 'Music', 'notes.txt'])
  })

  it("starts in Parley's folder, a new or empty one, and one where only Electron and Chromium have written (a first start that crashed)", () => {
    expect(desktopFolderRefusal(folderWith('journal.jsonl', 'session-log/', 'Local State', 'IndexedDB/', 'Documents/'))).toBeNull()
    expect(desktopFolderRefusal(folderWith())).toBeNull()
    expect(desktopFolderRefusal(folderWith('.DS_Store'))).toBeNull()
    expect(desktopFolderRefusal(join(folderWith(), 'not-yet'))).toBeNull()
    expect(desktopFolderRefusal(folderWith('Local State', 'Preferences', 'SingletonLock', 'IndexedDB/', 'GPUCache/', 'Crashpad/'))).toBeNull()
    expect(desktopFolderRefusal(folderWith('settings.json', 'Local State'))).toBeNull()
  })

  it("leaves a file in the folder's place to the core, which names it (DataFolderUnusableError)", () => {
    const file = join(folderWith(), 'a-file')
    writeFileSync(file, 'x')
    expect(desktopFolderRefusal(file)).toBeNull()
  })
})
