import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { test as base } from '@playwright/test'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WEB_ENTRY = fileURLToPath(new URL('../../out/main/web.js', import.meta.url))
const READY_LINE = /^Parley \(browser mode\) is at ((http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+))$/
const START_TIMEOUT_MS = 15_000

export interface WebApp {
  /** The address the server printed, with its token: http://127.0.0.1:41234/#token=… */
  readonly url: string
  /** http://127.0.0.1:41234 */
  readonly origin: string
  readonly token: string
}

export interface StartedWebApp extends WebApp {
  readonly server: ChildProcess
}

/**
 * The extra environment of `node out/main/web.js`: PARLEY_DATA_DIR, PARLEY_PROVIDER_URL, PARLEY_MODEL,
 * PARLEY_SMALL_MODEL, PARLEY_TOKEN, PARLEY_PORT. Without PARLEY_DATA_DIR the server gets a fresh temporary folder,
 * deleted when it stops (never the user's ~/.parley).
 */
export type WebAppEnv = Partial<Record<string, string>>

/** The temporary data folders this file made, by server, to delete when each stops. */
const madeDataDirs = new WeakMap<ChildProcess, string>()

/** Starts `node out/main/web.js` on a free port and resolves once it prints its address. */
export function startWebApp(env: WebAppEnv = {}): Promise<StartedWebApp> {
  if (!existsSync(WEB_ENTRY)) {
    throw new Error(`${WEB_ENTRY} is missing: build first (npm run build, or npm run test:e2e which builds).`)
  }
  const madeDataDir = env['PARLEY_DATA_DIR'] ? undefined : mkdtempSync(join(tmpdir(), 'parley-web-'))
  const server = spawn(process.execPath, [WEB_ENTRY], {
    cwd: ROOT,
    env: { ...process.env, PARLEY_PORT: '0', ...(madeDataDir ? { PARLEY_DATA_DIR: madeDataDir } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  if (madeDataDir) madeDataDirs.set(server, madeDataDir)
  let stderr = ''
  server.stderr?.setEncoding('utf8')
  server.stderr?.on('data', (chunk: string) => {
    stderr += chunk
    process.stderr.write(chunk)
  })

  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer)
      server.kill('SIGKILL')
      removeDataDir(server)
      reject(new Error(`The browser-mode server did not start: ${reason}\n${stderr}`))
    }
    const timer = setTimeout(() => fail(`no address after ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS)
    server.once('error', (error) => fail(error.message))
    server.once('exit', (code, signal) => fail(`it exited (code ${String(code)}, signal ${String(signal)})`))
    if (!server.stdout) return fail('no stdout')
    createInterface({ input: server.stdout }).on('line', (line) => {
      const [, url, origin, token] = READY_LINE.exec(line) ?? []
      if (url === undefined || origin === undefined || token === undefined) return
      clearTimeout(timer)
      server.removeAllListeners('exit')
      // A server that dies in the middle of a test shows in the window only as "Lost the connection": say so here.
      server.once('exit', (code, signal) => {
        if (!stopping.has(server)) process.stderr.write(`[e2e] browser-mode server ${server.pid} exited by itself: code ${String(code)}, signal ${String(signal)}\n`)
      })
      resolve({ url, origin, token, server })
    })
  })
}

/** Servers a test is stopping or killing on purpose (their exit is expected). */
const stopping = new WeakSet<ChildProcess>()

/** The test is about to end this server itself (a SIGKILL on purpose): its exit is not news. */
export function expectExit(server: ChildProcess): void {
  stopping.add(server)
}

export async function stopWebApp(server: ChildProcess): Promise<void> {
  stopping.add(server)
  if (server.exitCode === null && server.signalCode === null) {
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()))
    server.kill('SIGTERM')
    const timer = setTimeout(() => server.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  removeDataDir(server)
}

function removeDataDir(server: ChildProcess): void {
  const dir = madeDataDirs.get(server)
  if (dir) rmSync(dir, { recursive: true, force: true })
  madeDataDirs.delete(server)
}

/**
 * Specs import `test` from here: each worker gets its own browser-mode server. `page.goto('/')` opens its origin
 * without the token; `page.goto(webApp.url)` opens the printed address, token included.
 */
export const test = base.extend<Record<never, never>, { webApp: WebApp }>({
  webApp: [
    async ({}, use) => {
      const { server, ...app } = await startWebApp()
      try {
        await use(app)
      } finally {
        await stopWebApp(server)
      }
    },
    { scope: 'worker' }
  ],
  baseURL: async ({ webApp }, use) => {
    await use(`${webApp.origin}/`)
  }
})

export { expect } from '@playwright/test'
