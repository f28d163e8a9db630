import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../shared'
import { launchSettingsIgnored, readLaunchEnvironment, readRecoveryHoldMs, UsageError } from './launch-settings'

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
