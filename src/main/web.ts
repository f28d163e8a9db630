import { join } from 'node:path'
import { foreignFolderRefusal, lookAtFolder } from './cli/data-folder-check'
import { DataFolderInUseError } from './core/data-lock'
import { DataFolderUnusableError } from './core/data-folder'
import { createParleyCore, type ParleyCore } from './core/parley-core'
import { startBrowserHost, type BrowserHost } from './host/browser-host'
import { startAtKeptAddress } from './host/kept-address'
import { startLocalSocketHost, type LocalSocketHost } from './host/local-socket'
import { readWebOptions, UsageError, wantsHelp, webHelp } from './host/web-options'
import { launchSettingsIgnored } from './launch-settings'

// Browser mode (`npm run web`): the core in plain Node, serving the built renderer and the bridge on 127.0.0.1.
// Its one line on stdout is the address to open; everything else goes to stderr. Flags: see host/web-options.ts.

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    process.stdout.write(webHelp)
    return
  }
  const options = readWebOptions(process.argv.slice(2), process.env)
  // A folder named outright that holds other files and none of Parley's (`--data-dir ~/Documents`) is refused before
  // anything is written there, as the command line refuses it: Parley would put its journal, chats and lock among them.
  const found = lookAtFolder(options.dataDir)
  if (found.kind === 'foreign' && options.dataSource !== 'default') {
    throw new UsageError(foreignFolderRefusal({ dataDir: options.dataDir, source: options.dataSource }, found.names))
  }
  const core = await createParleyCore({
    dataDir: options.dataDir,
    mode: 'browser',
    initialSettings: options.initialSettings,
    recoveryHoldMs: options.recoveryHoldMs
  })
  if (launchSettingsIgnored(options, core.settings.get())) {
    const note = 'already has settings, so the provider URL and model flags are not used'
    console.error(`Parley (browser mode): ${options.dataDir} ${note}.`)
  }
  let host: BrowserHost
  let local: LocalSocketHost | undefined
  try {
    const rendererDir = join(import.meta.dirname, '../renderer')
    host = await startAtKeptAddress(
      options.dataDir,
      options,
      (port, token) => startBrowserHost({ service: core.service, rendererDir, port, ...(token === undefined ? {} : { token }) }),
      (line) => console.error(line)
    )
    // `parley run` reaches this Parley over a socket in the data folder (host/local-socket.ts). Without it (a path
    // too long for a Unix socket, say) browser mode still works, and the command line waits for the folder instead.
    local = await startLocalSocketHost({ service: core.service, dataDir: options.dataDir }).catch((error: unknown) => {
      console.error('Parley (browser mode): the command line cannot reach it: its local socket did not start:', error)
      return undefined
    })
  } catch (error) {
    await core.shutdown()
    throw error
  }
  console.log(`Parley (browser mode) is at ${host.url}`)
  stopOnSignals(core, host, local)
}

function stopOnSignals(core: ParleyCore, host: BrowserHost, local: LocalSocketHost | undefined): void {
  let stopping = false
  const stop = async (): Promise<void> => {
    if (stopping) return
    stopping = true
    try {
      // The socket goes first: once the core lets go of the folder, a `parley run` may take it over and make its own.
      await local?.close()
      await core.shutdown()
      await host.close()
    } catch (error) {
      console.error('Parley (browser mode) did not stop cleanly:', error)
      process.exit(1)
    }
    process.exit(0)
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop())
}

main().catch((error: unknown) => {
  // Another Parley on this folder: its sentence says who and what to do, and is all the person needs.
  if (error instanceof DataFolderInUseError || error instanceof DataFolderUnusableError) {
    console.error(error.message)
    process.exit(1)
  }
  const message = error instanceof Error ? error.message : String(error)
  console.error(`Parley (browser mode)${error instanceof UsageError ? '' : ' could not start'}: ${message}`)
  process.exit(error instanceof UsageError ? 2 : 1)
})
