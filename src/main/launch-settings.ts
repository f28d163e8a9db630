import { resolve } from 'node:path'
import { z } from 'zod'
import { defaultSettings, providerUrlSchema, settingsSchema, type Settings } from '../shared'
import { defaultRecoveryHoldMs } from './core/agent/recovery-hold'
import { lookAtFolder, someOf } from './cli/data-folder-check'

// What a launch of Parley may ask for, whichever shell it is: browser mode reads it from flags and the environment
// (host/web-options.ts), the desktop app from the environment (index.ts), which is how its end-to-end tests point
// it at a scripted model server and a fresh data folder.

/** A bad flag or variable: the entry prints the message on one line and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export type LaunchFlag = 'data-dir' | 'provider-url' | 'model' | 'small-model'

/** Each flag's environment variable. */
export const launchVariables: Readonly<Record<LaunchFlag, string>> = {
  'data-dir': 'PARLEY_DATA_DIR',
  'provider-url': 'PARLEY_PROVIDER_URL',
  model: 'PARLEY_MODEL',
  'small-model': 'PARLEY_SMALL_MODEL'
}

export interface LaunchSettings {
  /** An absolute path; undefined leaves the shell's own default (the desktop: app.getPath('userData')). */
  dataDir: string | undefined
  /** The settings a new data folder starts with; a folder that already has settings keeps its own. */
  initialSettings: Settings
  /** Whether a flag or variable asked for initial settings (so the entry can say when they were not used). */
  customSettings: boolean
}

/**
 * The data folder, provider and models a launch asks for. `read` answers a flag's value (or its variable's), or
 * undefined. The provider URL and the models apply only to a data folder without settings.
 */
export function readLaunchSettings(read: (flag: LaunchFlag) => string | undefined): LaunchSettings {
  const dataDir = read('data-dir')
  const providerUrl = read('provider-url')
  const model = read('model')
  const smallModel = read('small-model')
  return {
    dataDir: dataDir === undefined ? undefined : resolve(dataDir),
    initialSettings: initialSettings({ providerUrl, model, smallModel }),
    customSettings: providerUrl !== undefined || model !== undefined || smallModel !== undefined
  }
}

/** The desktop app's launch settings: PARLEY_DATA_DIR, PARLEY_PROVIDER_URL, PARLEY_MODEL, PARLEY_SMALL_MODEL. */
export function readLaunchEnvironment(env: Readonly<Record<string, string | undefined>>): LaunchSettings {
  return readLaunchSettings((flag) => nonEmpty(env[launchVariables[flag]]))
}

/** A whole number of milliseconds, up to a minute. */
const recoveryHoldSchema = z
  .string()
  .regex(/^\d{1,5}$/)
  .transform(Number)
  .pipe(z.number().int().max(60_000))

/**
 * A8: PARLEY_RECOVERY_HOLD_MS, how long, at most, the queued prompts a restart brought back wait for a window to send
 * the removals it kept (default 2000; 0: they start at once). For the shells that have windows: browser mode and the
 * desktop app. Throws a UsageError for anything but a whole number of milliseconds from 0 to 60000.
 */
export function readRecoveryHoldMs(env: Readonly<Record<string, string | undefined>>): number {
  const raw = nonEmpty(env['PARLEY_RECOVERY_HOLD_MS'])
  if (raw === undefined) return defaultRecoveryHoldMs
  const parsed = recoveryHoldSchema.safeParse(raw.trim())
  if (!parsed.success) {
    throw new UsageError(`invalid PARLEY_RECOVERY_HOLD_MS "${raw}": use a whole number of milliseconds from 0 to 60000`)
  }
  return parsed.data
}

/** Whether the launch asked for settings that the data folder's own settings override. */
export function launchSettingsIgnored(
  launch: Pick<LaunchSettings, 'customSettings' | 'initialSettings'>,
  inUse: Settings
): boolean {
  return launch.customSettings && JSON.stringify(inUse) !== JSON.stringify(launch.initialSettings)
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

function initialSettings(wanted: { providerUrl?: string; model?: string; smallModel?: string }): Settings {
  if (wanted.providerUrl !== undefined) {
    const checked = providerUrlSchema.safeParse(wanted.providerUrl)
    if (!checked.success) {
      throw new UsageError(`invalid provider URL "${wanted.providerUrl}": ${checked.error.issues[0]?.message ?? 'use an http:// or https:// address'}`)
    }
  }
  const settings = defaultSettings()
  const providerId = settings.models.large.providerId
  const candidate = {
    ...settings,
    providers: wanted.providerUrl
      ? [{ id: providerId, kind: 'openai', name: 'OpenAI-compatible server', baseUrl: wanted.providerUrl }]
      : settings.providers,
    models: {
      large: { ...settings.models.large, ...(wanted.model ? { model: wanted.model } : {}) },
      ...(wanted.smallModel ? { small: { providerId, model: wanted.smallModel } } : {})
    }
  }
  const parsed = settingsSchema.safeParse(candidate)
  if (!parsed.success) {
    throw new UsageError(`invalid provider URL or model name: ${z.prettifyError(parsed.error).replace(/\n\s*/g, ' ')}`)
  }
  return parsed.data
}

/**
 * What Electron and Chromium write at the top of an app's userData folder (the desktop app's data folder: the window's
 * IndexedDB lives there too). A folder holding only these and Parley's own names is one the desktop app has run in,
 * even if its core never got as far as writing its journal (a first start that crashed).
 */
const chromiumNames: ReadonlySet<string> = new Set([
  'Local State', 'Preferences', 'SingletonLock', 'SingletonCookie', 'SingletonSocket', 'lockfile', 'IndexedDB',
  'Local Storage', 'Session Storage', 'WebStorage', 'Service Worker', 'databases', 'blob_storage', 'Cache', 'Code Cache',
  'GPUCache', 'DawnCache', 'DawnGraphiteCache', 'DawnWebGPUCache', 'GrShaderCache', 'ShaderCache', 'Crashpad',
  'Network Persistent State', 'Network', 'Cookies', 'Cookies-journal', 'TransportSecurity', 'Trust Tokens',
  'Trust Tokens-journal', 'Shared Dictionary', 'SharedStorage', 'SharedStorage-wal', 'shared_proto_db',
  'VideoDecodeStats', 'Dictionaries', 'Partitions', 'QuotaManager', 'QuotaManager-journal', 'File System', 'logs'
])

/**
 * The desktop app started with PARLEY_DATA_DIR naming a folder that holds other files and none of Parley's
 * (`PARLEY_DATA_DIR=~`, `~/Documents`): the sentence it shows in an error box before it writes anything there (it quits,
 * exit 2), as the command line and browser mode refuse such a folder. Null when the folder is missing, empty, Parley's
 * (one of its names, or only names Parley or Chromium make), or can't be read (the core names that).
 */
export function desktopFolderRefusal(dataDir: string): string | null {
  const found = lookAtFolder(dataDir, (name) => chromiumNames.has(name))
  if (found.kind !== 'foreign') return null
  // The person's files are named, not Chromium's.
  const theirs = found.names.filter((name) => !chromiumNames.has(name))
  return (
    `${dataDir} (from PARLEY_DATA_DIR) is not a Parley data folder: it holds other files (${someOf(theirs)}) and none of ` +
    `Parley's, so Parley did not start there and wrote nothing. Start it without PARLEY_DATA_DIR to use its own folder, ` +
    `or name a new or empty one.`
  )
}
