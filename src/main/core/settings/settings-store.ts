import { renameSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { defaultSettings, issuesText, ParleyError, settingsSchema, type Settings, type SettingsPatch } from '../../../shared'
import { readFileIfPresent, writeFileAtomic } from './json-file'

/** The file holds the settings and, on the desktop, the API keys encrypted by the OS (base64). */
const settingsFileSchema = settingsSchema.extend({
  encryptedKeys: z.record(z.string(), z.string()).optional()
})
type SettingsFile = z.infer<typeof settingsFileSchema>

export interface SettingsRecovery {
  backupPath: string
  reason: string
}

export interface SettingsLoad {
  settings: Settings
  encryptedKeys: Record<string, string>
  /** Set when the file was unreadable: where the bad file was kept, and why it was refused. */
  recovered?: SettingsRecovery
}

/**
 * The settings file in the data folder: validated against the schema on every read and write, written atomically.
 * A corrupt file is kept aside as a backup and the defaults are used; `recovered` says so, for the UI.
 */
export class SettingsStore {
  readonly path: string
  readonly recovered: SettingsRecovery | undefined
  private current: Settings
  private keys: Record<string, string>
  private readonly listeners = new Set<(settings: Settings) => void>()

  constructor(dataDir: string, initial: Settings = defaultSettings()) {
    this.path = join(dataDir, 'settings.json')
    const load = loadSettings(this.path, initial)
    this.current = load.settings
    this.keys = load.encryptedKeys
    this.recovered = load.recovered
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

export function loadSettings(path: string, initial: Settings): SettingsLoad {
  let text: string | undefined
  try {
    text = readFileIfPresent(path)
  } catch (error) {
    return { settings: initial, encryptedKeys: {}, recovered: { backupPath: '', reason: `could not read it: ${String(error)}` } }
  }
  if (text === undefined) return { settings: initial, encryptedKeys: {} }
  let reason: string
  try {
    const parsed = settingsFileSchema.safeParse(JSON.parse(text))
    if (parsed.success) {
      const { encryptedKeys, ...settings } = parsed.data
      return { settings, encryptedKeys: encryptedKeys ?? {} }
    }
    reason = issuesText(parsed.error)
  } catch (error) {
    reason = `it is not JSON (${error instanceof Error ? error.message : String(error)})`
  }
  const backupPath = `${path}.corrupt-${Date.now()}`
  renameSync(path, backupPath)
  return { settings: initial, encryptedKeys: {}, recovered: { backupPath, reason } }
}
