import { renameSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { defaultSettings, ParleyError, settingsSchema, type Settings, type SettingsPatch } from '../../../shared'
import { readFileIfPresent, writeFileAtomic } from './json-file'

export interface SettingsLoad {
  settings: Settings
  /** Set when the file was unreadable: where the bad file was kept, and why it was refused. */
  recovered?: { backupPath: string; reason: string }
}

/**
 * The settings file in the data folder: validated against the schema on every read and write, written atomically.
 * A corrupt file is kept aside as a backup and the defaults are used; `recovered` says so, for the UI.
 */
export class SettingsStore {
  readonly path: string
  private current: Settings
  readonly recovered: SettingsLoad['recovered']
  private readonly listeners = new Set<(settings: Settings) => void>()

  constructor(dataDir: string, initial: Settings = defaultSettings()) {
    this.path = join(dataDir, 'settings.json')
    const load = loadSettings(this.path, initial)
    this.current = load.settings
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
    const parsed = settingsSchema.safeParse(merged)
    if (!parsed.success) throw new ParleyError('BadRequest', `Those settings are not valid: ${z.prettifyError(parsed.error)}`)
    const ids = new Set(parsed.data.providers.map((p) => p.id))
    for (const role of ['large', 'small'] as const) {
      const ref = parsed.data.models[role]
      if (ref && !ids.has(ref.providerId)) {
        throw new ParleyError('BadRequest', `The ${role} model uses the provider "${ref.providerId}", which is not set up.`)
      }
    }
    writeFileAtomic(this.path, `${JSON.stringify(parsed.data, null, 2)}\n`)
    this.current = parsed.data
    for (const listener of this.listeners) listener(parsed.data)
    return parsed.data
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

export function loadSettings(path: string, initial: Settings): SettingsLoad {
  let text: string | undefined
  try {
    text = readFileIfPresent(path)
  } catch (error) {
    return { settings: initial, recovered: { backupPath: '', reason: `could not read it: ${String(error)}` } }
  }
  if (text === undefined) return { settings: initial }
  let reason: string
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(text))
    if (parsed.success) return { settings: parsed.data }
    reason = z.prettifyError(parsed.error)
  } catch (error) {
    reason = `it is not JSON (${error instanceof Error ? error.message : String(error)})`
  }
  const backupPath = `${path}.corrupt-${Date.now()}`
  renameSync(path, backupPath)
  return { settings: initial, recovered: { backupPath, reason } }
}
