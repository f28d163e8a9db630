import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import {
  defaultSettings,
  issuesText,
  ParleyError,
  providerConfigSchema,
  settingsSchema,
  type DataRecovery,
  type Settings,
  type SettingsPatch
} from '../../../shared'
import { loadOrRecover, type Salvaged } from '../data-files/load-or-recover'
import { writeFileAtomic } from './json-file'

/** The file holds the settings and, on the desktop, the API keys encrypted by the OS (base64). */
const settingsFileSchema = settingsSchema.extend({
  encryptedKeys: z.record(z.string(), z.string()).optional()
})
type SettingsFile = z.infer<typeof settingsFileSchema>

export interface SettingsLoad {
  settings: Settings
  encryptedKeys: Record<string, string>
  /** Set when the file was damaged: what was kept of it, and where the damaged file was copied. */
  recovery: DataRecovery | undefined
}

/**
 * The settings file in the data folder: validated against the schema on every read and write, written atomically.
 * A corrupt file is kept aside as a backup and the defaults are used; `recovered` says so, for the UI.
 */
export class SettingsStore {
  readonly path: string
  readonly recovery: DataRecovery | undefined
  private current: Settings
  private keys: Record<string, string>
  private readonly listeners = new Set<(settings: Settings) => void>()

  constructor(dataDir: string, initial: Settings = defaultSettings()) {
    this.path = join(dataDir, 'settings.json')
    const absent = !existsSync(this.path)
    const load = loadSettings(this.path, initial)
    this.current = load.settings
    this.keys = load.encryptedKeys
    this.recovery = load.recovery
    // Launch flags (a provider URL, a model) seed a new data folder: kept on disk at once, so whatever starts on it
    // next (the command line, browser mode without the flags) answers with them too, not with the default Ollama. The
    // defaults themselves are not written: a later start with flags may still seed the folder.
    if (absent && JSON.stringify(initial) !== JSON.stringify(defaultSettings())) this.save(initial, {})
  }

  get(): Settings {
    return this.current
  }

  /** Applies a patch (without the key, which the secret store keeps), validates the result, and saves it. */
  update(patch: Omit<SettingsPatch, 'apiKey'>): Settings {
    const merged = { ...this.current }
    if (patch.providers) merged.providers = patch.providers
    if (patch.models) merged.models = patch.models
    if (patch.systemPrompt !== undefined) merged.systemPrompt = patch.systemPrompt
    if (patch.maxRetries !== undefined) merged.maxRetries = patch.maxRetries
    if (patch.loadingTimeoutSeconds !== undefined) merged.loadingTimeoutSeconds = patch.loadingTimeoutSeconds
    if (patch.desktop) merged.desktop = patch.desktop
    const parsed = settingsSchema.safeParse(merged)
    if (!parsed.success) throw new ParleyError('BadRequest', `Those settings are not valid: ${issuesText(parsed.error)}`)
    const ids = new Set(parsed.data.providers.map((p) => p.id))
    for (const role of ['large', 'small'] as const) {
      const ref = parsed.data.models[role]
      if (ref && !ids.has(ref.providerId)) {
        throw new ParleyError('BadRequest', `The ${role} model uses the provider "${ref.providerId}", which is not set up.`)
      }
    }
    this.save(parsed.data, this.keys)
    for (const listener of this.listeners) listener(parsed.data)
    return parsed.data
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A provider's key as the OS encrypted it, in base64; the store never sees a plain key. */
  encryptedKey(providerId: string): string | undefined {
    return this.keys[providerId]
  }

  encryptedKeyIds(): string[] {
    return Object.keys(this.keys)
  }

  setEncryptedKey(providerId: string, base64: string | null): void {
    const keys = { ...this.keys }
    if (base64) keys[providerId] = base64
    else delete keys[providerId]
    this.save(this.current, keys)
  }

  private save(settings: Settings, keys: Record<string, string>): void {
    const file: SettingsFile = Object.keys(keys).length > 0 ? { ...settings, encryptedKeys: keys } : settings
    writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`)
    this.current = settings
    this.keys = keys
  }
}

/** The largest settings file Parley reads: a real one is a few kilobytes. */
const maxSettingsBytes = 4 * 2 ** 20

export function loadSettings(path: string, initial: Settings): SettingsLoad {
  const { value, recovery } = loadOrRecover(path, {
    empty: { settings: initial, encryptedKeys: {} },
    maxBytes: maxSettingsBytes,
    salvage: (raw) => salvageSettings(raw, initial)
  })
  return { ...value, recovery }
}

interface SettingsContent {
  settings: Settings
  encryptedKeys: Record<string, string>
}

/**
 * Keeps what is valid of a settings file, setting by setting (and provider by provider): a bad field falls back to
 * its value in `initial`, and the rest of the person's settings stay.
 */
export function salvageSettings(raw: unknown, initial: Settings): Salvaged<SettingsContent> {
  const whole = settingsFileSchema.safeParse(raw)
  if (whole.success) {
    const { encryptedKeys, ...settings } = whole.data
    return { value: { settings, encryptedKeys: encryptedKeys ?? {} }, kept: 1, lost: 0, problem: '' }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('it is not an object of settings')
  let accepted: Record<string, unknown> = { ...initial }
  let kept = 0
  let lost = 0
  const problems: string[] = []
  const take = (key: string, value: unknown): boolean => {
    const candidate = { ...accepted, [key]: value }
    const parsed = settingsFileSchema.safeParse(candidate)
    if (!parsed.success) return false
    accepted = candidate
    return true
  }
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in settingsFileSchema.shape)) continue
    if (key === 'providers' && Array.isArray(value)) {
      const providers = value.filter((provider) => providerConfigSchema.safeParse(provider).success)
      const dropped = value.length - providers.length
      if (providers.length > 0 && take(key, providers)) {
        kept += providers.length
        lost += dropped
        if (dropped > 0) problems.push(`${dropped} provider${dropped === 1 ? '' : 's'} not valid`)
        continue
      }
    }
    if (take(key, value)) {
      kept += 1
    } else {
      lost += 1
      problems.push(`"${key}" not valid`)
    }
  }
  const { encryptedKeys, ...settings } = settingsFileSchema.parse(accepted)
  return { value: { settings, encryptedKeys: encryptedKeys ?? {} }, kept, lost: Math.max(lost, 1), problem: problems.join('; ') || issuesText(whole.error) }
}
