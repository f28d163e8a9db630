import { parseArgs } from 'node:util'
import { z } from 'zod'
import { UsageError } from '../launch-settings'
import { nearest, optionProblem, type KnownOption } from './usage-hints'

export { UsageError }

/** Which chat a run goes to: one named by id, a new one, or the one with the newest activity (`--continue`). */
export type RunTarget = { kind: 'new' } | { kind: 'session'; sessionId: string } | { kind: 'latest' }

/** What a run prints on stdout: the answer as it streams, the RunComplete as JSON, or the final text alone. */
export type RunOutput = 'stream' | 'json' | 'quiet'

export interface RunArgs {
  kind: 'run'
  target: RunTarget
  /** `--model`: null keeps the chat's own (or the settings' default). */
  model: string | null
  /** `--system`: null keeps the chat's own system prompt. */
  system: string | null
  timeoutSeconds: number
  output: RunOutput
  /** The prompt's words as given; empty means the prompt is all of stdin. */
  words: string[]
  /** `--attach FILE` (repeatable): files sent with the prompt (issue 14). */
  attach: string[]
  /** `--fail-fast`: leave at once (exit 69) when the model server can't be reached, instead of waiting for it (C3). */
  failFast: boolean
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | RunArgs
  | { kind: 'chats'; json: boolean }
  | { kind: 'status'; json: boolean }
  | { kind: 'show'; sessionId: string }

export interface Invocation {
  command: Command
  /** `--data-dir`, when given: the data folder; else PARLEY_DATA_DIR, else ~/.parley (as browser mode). */
  dataDir: string | null
}

/** A run waits at most this long by default: `--timeout` changes it. */
export const defaultTimeoutSeconds = 3600

export const cliUsage =
  'usage: parley run [--session ID | --continue | --new] [--model M] [--system S] [--attach FILE]… [--timeout SECONDS] [--fail-fast] [--json | --quiet] [PROMPT…]'

export const cliHelp = `Parley from the command line: send a prompt into a chat and get its answer on stdout.

${cliUsage}
       parley chats [--json]        the chats: id, title, last activity
       parley status [--json]       busy chats, their queues and what each answer waits on (a rate limit, a
                                    model loading), and whether each provider answers
       parley show ID               a chat as Markdown (the branch shown)
       parley --help | --version

run:
  PROMPT…              the prompt; stdin is appended to it when piped (git diff | parley run "review this"),
                       and is the whole prompt when there are no words
  --session ID         the chat to send it to (waits in its queue if it is busy)
  --continue, -c       the chat with the newest activity (as \`llm -c\`; a new one when there is none)
  --new                a new chat (the default)
  --model M            the chat's model from now on: NAME (the default provider) or PROVIDER/NAME
  --system S           the chat's system prompt from now on
  --attach FILE        send a file with the prompt (repeatable): an image (PNG, JPEG, GIF, WebP; 20 MB), a text or
                       code file, or a PDF (50 MB)
  --timeout SECONDS    give up after this long, cancelling the run (default: ${defaultTimeoutSeconds})
  --fail-fast          when the model server can't be reached, say so and exit 69 at once instead of waiting for
                       it: the prompt is not sent, or if Parley had already taken it, it is cancelled and never runs
                       (a server still loading its model is waited for)
  --json               print the RunComplete as JSON instead of the answer
  --quiet              print only the final text, nothing on stderr while waiting

everywhere:
  --data-dir DIR       PARLEY_DATA_DIR: the data folder (default: ~/.parley, as browser mode)

It talks to the desktop app or browser mode when one runs on the data folder (over its local socket), and otherwise
runs Parley here, on the folder, until the answer is in (and any answer it is writing for another command). chats,
status and show, run here, only read: prompts left queued wait for the next run.

Exit status: 0 done; 1 the run failed, was cancelled elsewhere or its chat deleted, or Parley could not be reached
(the reason is on stderr); 2 bad usage; 69 the model server can't be reached (--fail-fast); 124 --timeout passed (the
run was cancelled); 130 interrupted (Ctrl+C cancels the run first); 143 SIGTERM and 129 SIGHUP (a closed terminal),
each as Ctrl+C; 141 stdout was closed (\`parley run … | head -c 5\`): through the app the run is not cancelled (the
app finishes the answer in its chat); running Parley here, it is cancelled.
Only the answer (or the JSON) goes to stdout; notices and errors go to stderr. While the model server can't be reached
a prompt waits for it (until --timeout), unless --fail-fast. Piped text is UTF-8, or UTF-16 with a byte order mark.
chats, status and show on a data folder that does not exist say so (exit 2) and create nothing; a run there starts a
new, empty Parley, and says so once. A folder that holds other files and none of Parley's (--data-dir ~) is refused by
every command (exit 2), and nothing is written there; an empty folder is fine to start in.
`

const timeoutSchema = z.coerce.number().positive().max(7 * 24 * 3600)

/** Reads the command line (without `node` and the script). Throws UsageError for anything it can't use. */
export function readInvocation(args: readonly string[]): Invocation {
  // --help wins over anything else on the line (so `parley run --nope --help` still helps), up to a `--`.
  const flags = args.includes('--') ? args.slice(0, args.indexOf('--')) : args
  if (flags.includes('--help') || flags.includes('-h')) return { command: { kind: 'help' }, dataDir: null }
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(args)
  } catch (error) {
    throw new UsageError(`${optionProblem(error, knownOptions)}\n${usageOf(args.find((arg) => !arg.startsWith('-')))}`)
  }
  const { values, positionals } = parsed
  const dataDir = values['data-dir'] ?? null
  if (values.help) return { command: { kind: 'help' }, dataDir }
  if (values.version) return { command: { kind: 'version' }, dataDir }
  const [name, ...rest] = positionals
  const only = (allowed: readonly string[]): void => {
    const given = Object.entries(values).filter(([key, value]) => value !== undefined && key !== 'data-dir' && !allowed.includes(key))
    const first = given[0]
    if (first) throw new UsageError(`--${first[0]} does not go with \`parley ${name}\`.\n${usageOf(name)}`)
  }
  switch (name) {
    case undefined:
      throw new UsageError(`Say what to do.\n${cliUsage}`)
    case 'run': {
      only(['session', 'new', 'continue', 'model', 'system', 'timeout', 'json', 'quiet', 'attach', 'fail-fast'])
      const targets = [values.session !== undefined && '--session ID', values.continue === true && '--continue', values.new === true && '--new']
      const chosen = targets.filter((target) => target !== false)
      if (chosen.length === 2) throw new UsageError(`Give ${chosen.join(' or ')}, not both.`)
      if (chosen.length > 2) throw new UsageError(`Give one of ${chosen.join(', ')}, not all three.`)
      if (values.json && values.quiet) throw new UsageError('Give --json or --quiet, not both.')
      const timeout = timeoutSchema.safeParse(values.timeout ?? defaultTimeoutSeconds)
      if (!timeout.success) throw new UsageError(`--timeout takes a number of seconds above 0, not "${values.timeout}".`)
      if (values.session !== undefined && values.session.trim() === '') throw new UsageError('--session needs a chat id.')
      return {
        command: {
          kind: 'run',
          target:
            values.session !== undefined ? { kind: 'session', sessionId: values.session } : values.continue === true ? { kind: 'latest' } : { kind: 'new' },
          model: values.model ?? null,
          system: values.system ?? null,
          timeoutSeconds: timeout.data,
          output: values.json ? 'json' : values.quiet ? 'quiet' : 'stream',
          words: rest,
          attach: values.attach ?? [],
          failFast: values['fail-fast'] ?? false
        },
        dataDir
      }
    }
    case 'chats':
    case 'status':
      only(['json'])
      if (rest.length > 0) throw new UsageError(`\`parley ${name}\` takes no words.\n${usageOf(name)}`)
      return { command: { kind: name, json: values.json ?? false }, dataDir }
    case 'show': {
      only([])
      const [sessionId, ...extra] = rest
      if (sessionId === undefined || extra.length > 0) throw new UsageError('usage: parley show ID')
      return { command: { kind: 'show', sessionId }, dataDir }
    }
    default: {
      const suggestion = nearest(name, commandNames)
      const hint = suggestion === null ? '' : ` Did you mean \`parley ${suggestion}\`?`
      throw new UsageError(`There is no command "${name}".${hint} The commands: ${commandNames.join(', ')} (parley --help).`)
    }
  }
}

const commandNames = ['run', 'chats', 'status', 'show'] as const

/** The usage line of the command named (the run's when none is, or an unknown one), and where to read more. */
function usageOf(name: string | undefined): string {
  const line = (name === 'chats' || name === 'status') ? `usage: parley ${name} [--json]` : name === 'show' ? 'usage: parley show ID' : cliUsage
  return `${line}\n(parley --help says more)`
}

const options = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'data-dir': { type: 'string' },
  session: { type: 'string', short: 's' },
  new: { type: 'boolean' },
  continue: { type: 'boolean', short: 'c' },
  model: { type: 'string', short: 'm' },
  system: { type: 'string' },
  attach: { type: 'string', short: 'a', multiple: true },
  timeout: { type: 'string', short: 't' },
  'fail-fast': { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' }
} as const

const knownOptions: KnownOption[] = Object.entries(options).map(([long, option]) => ({
  long,
  ...('short' in option ? { short: option.short } : {}),
  takesValue: option.type === 'string'
}))

function parse(args: readonly string[]) {
  return parseArgs({ args: [...args], strict: true, allowPositionals: true, options })
}
