import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { defaultSettings, settingsSchema, tokenPattern, type Settings } from '../../shared'

/** What `npm run web` (node out/main/web.js) was asked to do. */
export interface WebOptions {
  /** 0 lets the system pick a free port. */
  port: number
  dataDir: string
  /** The settings a new data folder starts with; a folder that already has settings keeps its own. */
  initialSettings: Settings
  /** Whether a flag or variable asked for initial settings (so the entry can say when they were not used). */
  customSettings: boolean
  /** Fixed by PARLEY_TOKEN (tests); random when undefined. */
  token: string | undefined
}

/** A bad flag or variable: the entry prints the message on one line and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export const webUsage =
  'usage: node out/main/web.js [--port N] [--data-dir DIR] [--provider-url URL] [--model NAME] [--small-model NAME]'

/**
 * Each flag falls back to an environment variable, then a default:
 *   --port N            PARLEY_PORT            0 (a free port)
 *   --data-dir DIR      PARLEY_DATA_DIR        ~/.parley
 *   --provider-url URL  PARLEY_PROVIDER_URL    the default provider's URL (a local Ollama)
 *   --model NAME        PARLEY_MODEL           the default large model
 *   --small-model NAME  PARLEY_SMALL_MODEL     none (titles use the large model)
 *                       PARLEY_TOKEN           a fresh random token
 * The provider URL and the models apply only to a data folder without settings.
 */
export function readWebOptions(args: string[], env: Readonly<Record<string, string | undefined>>): WebOptions {
  let values: Partial<Record<'port' | 'data-dir' | 'provider-url' | 'model' | 'small-model', string>>
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'provider-url': { type: 'string' },
        model: { type: 'string' },
        'small-model': { type: 'string' }
      }
    }).values
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)} (${webUsage})`)
  }
  const pick = (flag: keyof typeof values, variable: string): string | undefined =>
    values[flag] ?? nonEmpty(env[variable])

  const rawPort = pick('port', 'PARLEY_PORT') ?? '0'
  const port = Number(rawPort)
  if (!/^\d+$/.test(rawPort) || port > 65_535) {
    throw new UsageError(`invalid port "${rawPort}": use a number from 0 to 65535 (0 picks a free port)`)
  }

  const dataDir = resolve(pick('data-dir', 'PARLEY_DATA_DIR') ?? join(homedir(), '.parley'))

  const token = nonEmpty(env['PARLEY_TOKEN'])
  if (token !== undefined && !tokenPattern.test(token)) {
    throw new UsageError('invalid PARLEY_TOKEN: use 16 to 256 letters, digits, "-" or "_"')
  }

  const providerUrl = pick('provider-url', 'PARLEY_PROVIDER_URL')
  const model = pick('model', 'PARLEY_MODEL')
  const smallModel = pick('small-model', 'PARLEY_SMALL_MODEL')
  return {
    port,
    dataDir,
    initialSettings: initialSettings({ providerUrl, model, smallModel }),
    customSettings: providerUrl !== undefined || model !== undefined || smallModel !== undefined,
    token
  }
}

function initialSettings(wanted: { providerUrl?: string; model?: string; smallModel?: string }): Settings {
  if (wanted.providerUrl !== undefined && !/^https?:\/\//i.test(wanted.providerUrl)) {
    throw new UsageError(`invalid provider URL "${wanted.providerUrl}": use an http:// or https:// address`)
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

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
