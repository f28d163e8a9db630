import { randomUUID } from 'node:crypto'
import packageJson from '../../../package.json'
import { DataFolderInUseError } from '../core/data-lock'
import { localSocketPath } from '../host/local-socket-protocol'
import { readLaunchEnvironment, UsageError } from '../launch-settings'
import { cliHelp, readInvocation, type Command } from './cli-args'
import { chooseDataFolder, foreignFolderRefusal, lookAtFolder, missingFolderRefusal, newFolderNote } from './data-folder-check'
import { exitCodes } from './exit-codes'
import { holderMayComeBack } from './folder-holder'
import type { ParleyLink } from './parley-link'
import { joinPrompt, readStdin, shouldReadStdin, stdinKind } from './prompt-input'
import { reachParley, ReachTimeout } from './reach-parley'
import { listChats, showChat, showStatus } from './read-commands'
import { readAttachFiles } from './attach-files'
import { runCommand } from './run-command'
import { exitCodeFor, listenForStops } from './stop-requests'

// `parley`, the command line (docs/architecture.md: src/main/cli): plain Node, never Electron. Run it with
// `npm run parley -- …` from a clone, or as `parley` once installed (package.json's bin).

/** How long `chats`, `status` and `show` wait for a data folder whose Parley does not answer yet. */
const readWaitMs = 30_000

const out = (text: string): void => void process.stdout.write(text)
const err = (text: string): void => void process.stderr.write(text)

async function main(argv: readonly string[]): Promise<number> {
  const stops = listenForStops(process)
  // The first request stops the command's run and the second its wait for others' answers; should leaving still hang,
  // a third leaves at once.
  void stops.nth(3).then((reason) => process.exit(exitCodeFor(reason)))
  const invocation = readInvocation(argv)
  const { command } = invocation
  if (command.kind === 'help') return print(cliHelp)
  if (command.kind === 'version') return print(`parley ${packageJson.version}\n`)
  // The folder, and the provider and models a new folder starts with, read as the app reads them (PARLEY_DATA_DIR,
  // PARLEY_PROVIDER_URL, PARLEY_MODEL…); --data-dir comes first, and the default is browser mode's.
  const launch = readLaunchEnvironment(process.env)
  const folder = chooseDataFolder(invocation.dataDir, launch.dataDir)
  const { dataDir } = folder
  // A folder that is not there, or empty: a reading command has nothing to read (and must not set Parley up there); a run makes it, and
  // says so once, so that a misspelled --data-dir is seen. A folder that holds other files and none of Parley's
  // (`--data-dir ~`) is refused by every command, before anything is written there (data-folder-check.ts).
  const found = lookAtFolder(dataDir)
  const missing = found.kind === 'missing'
  if ((missing || found.kind === 'empty') && command.kind !== 'run') throw new UsageError(missingFolderRefusal(folder, found.kind))
  if (found.kind === 'foreign' && folder.source !== 'default') throw new UsageError(foreignFolderRefusal(folder, found.names))
  const { initialSettings } = launch
  const takeoverMs = takeoverSeconds(process.env) * 1000
  // `waitForApp`: after the app dropped, it may be restarting (ParleyLink.mayComeBack). `readOnly`: a reading command
  // that runs Parley itself starts no turn (in-process.ts).
  const reach = (givingUp: Promise<unknown>, waitForApp: boolean, readOnly = false): Promise<ParleyLink> =>
    reachParley({
      appOnlyUntil: waitForApp ? new Promise((resolve) => setTimeout(resolve, takeoverMs).unref()) : null,
      // Loaded on first use, so --help and a bad flag answer without loading the core.
      connect: async () =>
        (await import('./socket-client')).connectLocalSocket(localSocketPath(dataDir), {
          mayComeBack: () => holderMayComeBack(dataDir)
        }),
      startInProcess: async () =>
        (await import('./in-process')).startInProcess(
          { dataDir, mode: 'headless', initialSettings },
          { say: (line) => err(`parley: ${line}\n`), readOnly }
        ),
      givingUp,
      onWait: (message) => err(`parley: ${message}\n`)
    })
  if (command.kind === 'run') {
    const words = command.words
    const stdin = shouldReadStdin(stdinKind(), words) ? await readStdin((line) => err(`parley: ${line}\n`)) : null
    const files = await readAttachFiles(command.attach)
    const prompt = files.length > 0 && words.length === 0 && stdin === null ? '' : joinPrompt(words, stdin)
    const note = missing ? newFolderNote(folder) : null
    if (note !== null) err(`parley: ${note}\n`)
    return runCommand(command, prompt, {
      reach,
      newRunId: randomUUID,
      stops,
      after: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
      stdout: out,
      stderr: err
    }, files)
  }
  // Reading commands wait for a folder whose app is starting too, but not for long.
  const readingGivesUp = new Promise<void>((resolve) => setTimeout(resolve, readWaitMs).unref())
  let link: ParleyLink
  try {
    link = await reach(Promise.race([stops.nth(1), readingGivesUp]), false, true)
  } catch (error) {
    const stop = stops.count > 0 ? await stops.nth(1) : null
    if (error instanceof ReachTimeout && stop !== null) return exitCodeFor(stop)
    throw error
  }
  try {
    out(await readCommand(command, link))
    return exitCodes.done
  } finally {
    await link.close(stops.nth(1))
  }
}

async function readCommand(command: Exclude<Command, { kind: 'help' | 'version' | 'run' }>, link: ParleyLink): Promise<string> {
  switch (command.kind) {
    case 'chats':
      return listChats(link.api, command.json)
    case 'status':
      return showStatus(link.api, command.json)
    case 'show':
      return showChat(link.api, command.sessionId)
  }
}

/**
 * How long a run whose app went away waits for it to come back before running Parley here: PARLEY_TAKEOVER_SECONDS,
 * default 10 (the end-to-end test that restarts the app sets it long, so the app always gets its folder back). A run
 * whose Parley was another command's core does not wait: that core never comes back (folder-holder.ts).
 */
function takeoverSeconds(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env['PARLEY_TAKEOVER_SECONDS'] ?? 10)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : 10
}

function print(text: string): number {
  out(text)
  return exitCodes.done
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      err(`parley: ${error.message}\n`)
      exit(exitCodes.usage)
      return
    }
    const message = error instanceof DataFolderInUseError || error instanceof ReachTimeout || error instanceof Error ? error.message : String(error)
    err(`parley: ${message}\n`)
    exit(exitCodes.failed)
  }
)

/** Leaves once stdout and stderr are written (a pipe may still hold the answer). */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}
