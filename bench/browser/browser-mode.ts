import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WEB_ENTRY = join(ROOT, 'out', 'main', 'web.js')
const READY_LINE = /^Parley \(browser mode\) is at ((http:\/\/127\.0\.0\.1:(\d+))\/#token=([A-Za-z0-9_-]+))$/
const START_TIMEOUT_MS = 30_000

/** One `node out/main/web.js` with a data folder of its own, as the e2e tests start it (e2e/web/web-app.ts). */
export interface BrowserMode {
  /** The printed address, token in the fragment. */
  readonly url: string
  readonly origin: string
  readonly token: string
  /** ws://127.0.0.1:PORT/parley, for a Node-side client. */
  readonly bridgeUrl: string
  /** Stops the server (SIGTERM, then SIGKILL) and deletes its data folder. */
  stop(): Promise<void>
}

export interface BrowserModeOptions {
  /** The scripted model server's `/v1` URL. */
  readonly providerUrl: string
  readonly model: string
  /** Another build's `main/web.js` (bench/browser/ab.ts compares two builds); this checkout's `out` by default. */
  readonly webEntry?: string
}

/** Starts browser mode on a free port with a fresh temporary data folder; resolves once it prints its address. */
export function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const webEntry = options.webEntry ?? WEB_ENTRY
  if (!existsSync(webEntry)) throw new Error(`${webEntry} is missing: build first (npx electron-vite build).`)
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'))
  // PARLEY_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles main while a figure is measured.
  const nodeArgs = process.env['PARLEY_BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? []
  const server = spawn(process.execPath, [...nodeArgs, webEntry], {
    cwd: ROOT,
    env: {
      ...process.env,
      PARLEY_PORT: '0',
      PARLEY_DATA_DIR: dataDir,
      PARLEY_PROVIDER_URL: options.providerUrl,
      PARLEY_MODEL: options.model,
      PARLEY_SMALL_MODEL: options.model
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  // A bench stopped half-way (Ctrl+C) must not leave its servers running.
  const killOnExit = (): void => {
    server.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  }
  process.once('exit', killOnExit)
  let stderr = ''
  server.stderr?.setEncoding('utf8')
  server.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit)
    await stopProcess(server)
    rmSync(dataDir, { recursive: true, force: true })
  }
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer)
      void stop().finally(() => reject(new Error(`Browser mode did not start: ${reason}\n${stderr}`)))
    }
    const timer = setTimeout(() => fail(`no address after ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS)
    server.once('error', (error) => fail(error.message))
    server.once('exit', (code, signal) => fail(`it exited (code ${String(code)}, signal ${String(signal)})`))
    if (!server.stdout) return fail('no stdout')
    createInterface({ input: server.stdout }).on('line', (line) => {
      const [, url, origin, port, token] = READY_LINE.exec(line) ?? []
      if (url === undefined || origin === undefined || port === undefined || token === undefined) return
      clearTimeout(timer)
      server.removeAllListeners('exit')
      resolve({ url, origin, token, bridgeUrl: `ws://127.0.0.1:${port}/parley`, stop })
    })
  })
}

async function stopProcess(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()))
  server.kill('SIGTERM')
  const timer = setTimeout(() => server.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}
