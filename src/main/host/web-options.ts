import { parseArgs } from 'node:util'
import { tokenPattern, type Settings } from '../../shared'
import { chooseDataFolder, type FolderSource } from '../cli/data-folder-check'
import { launchVariables, nonEmpty, readLaunchSettings, readRecoveryHoldMs, UsageError, type LaunchFlag } from '../launch-settings'

export { UsageError }

/** What `npm run web` (node out/main/web.js) was asked to do. */
export interface WebOptions {
  /** 0 lets the system pick a free port; undefined: the port it had last time on this data folder (kept-address.ts). */
  port: number | undefined
  dataDir: string
  /** Where `dataDir` was named: a folder named outright that holds someone else's files is refused (web.ts). */
  dataSource: FolderSource
  /** The settings a new data folder starts with; a folder that already has settings keeps its own. */
  initialSettings: Settings
  /** Whether a flag or variable asked for initial settings (so the entry can say when they were not used). */
  customSettings: boolean
  /** Fixed by PARLEY_TOKEN; undefined: the token it had last time on this data folder, or a new random one. */
  token: string | undefined
  /** A8: how long, at most, the queued prompts a restart brought back wait for a window (PARLEY_RECOVERY_HOLD_MS). */
  recoveryHoldMs: number
}

export const webUsage =
  'usage: node out/main/web.js [--port N] [--data-dir DIR] [--provider-url URL] [--model NAME] [--small-model NAME]'

/** What `--help` prints: every flag, its variable and its default, and where to go next. */
export const webHelp = `Parley in your browser: the core runs here, and you open the address it prints.

${webUsage}

  --port N             PARLEY_PORT           the port on 127.0.0.1 (default: the one it had last time on this
                                             data folder, so an open page reconnects; else a free one; 0: a free one)
  --data-dir DIR       PARLEY_DATA_DIR       where chats' queue, settings and keys live (default: ~/.parley)
  --provider-url URL   PARLEY_PROVIDER_URL   an OpenAI-compatible server (default: Ollama, http://127.0.0.1:11434/v1)
  --model NAME         PARLEY_MODEL          the model that answers (default: llama3.2)
  --small-model NAME   PARLEY_SMALL_MODEL    the model that writes titles (default: the model above)
                       PARLEY_TOKEN          the token in the address (default: the one it had last time; else random)
                       PARLEY_RECOVERY_HOLD_MS  after a crash, how long queued prompts wait for an open page to
                                             withdraw some before they run (default: 2000; 0: they run at once)
  -h, --help                                 this text

The provider and model flags only seed a new data folder; after that, Settings is where they change.
`

/** Whether the command line asks for help, whatever else it holds (so `--help --nope` still helps). */
export function wantsHelp(args: readonly string[]): boolean {
  return args.some((arg) => arg === '--help' || arg === '-h')
}

/**
 * Each flag falls back to an environment variable, then a default:
 *   --port N            PARLEY_PORT            the port kept from last time, else a free one (0: a free one)
 *   --data-dir DIR      PARLEY_DATA_DIR        ~/.parley
 *   --provider-url URL  PARLEY_PROVIDER_URL    the default provider's URL (a local Ollama)
 *   --model NAME        PARLEY_MODEL           the default large model
 *   --small-model NAME  PARLEY_SMALL_MODEL     none (titles use the large model)
 *                       PARLEY_TOKEN           the token kept from last time, else a fresh random one
 * The provider URL and the models apply only to a data folder without settings (launch-settings.ts).
 */
export function readWebOptions(args: string[], env: Readonly<Record<string, string | undefined>>): WebOptions {
  let values: Partial<Record<'port' | LaunchFlag, string>>
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

  const rawPort = values.port ?? nonEmpty(env['PARLEY_PORT'])
  const port = rawPort === undefined ? undefined : Number(rawPort)
  if (rawPort !== undefined && (!/^\d+$/.test(rawPort) || Number(rawPort) > 65_535)) {
    throw new UsageError(`invalid port "${rawPort}": use a number from 0 to 65535 (0 picks a free port)`)
  }

  const token = nonEmpty(env['PARLEY_TOKEN'])
  if (token !== undefined && !tokenPattern.test(token)) {
    throw new UsageError('invalid PARLEY_TOKEN: use 16 to 256 letters, digits, "-" or "_"')
  }

  const launch = readLaunchSettings((flag) => values[flag] ?? nonEmpty(env[launchVariables[flag]]))
  // The folder and where it was named, as the command line reads them (the default named outright is still the default).
  const folder = chooseDataFolder(values['data-dir'] ?? null, nonEmpty(env[launchVariables['data-dir']]))
  return {
    port,
    dataDir: folder.dataDir,
    dataSource: folder.source,
    initialSettings: launch.initialSettings,
    customSettings: launch.customSettings,
    token,
    recoveryHoldMs: readRecoveryHoldMs(env)
  }
}
