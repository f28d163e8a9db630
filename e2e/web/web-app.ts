import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { test as base } from '@playwright/test'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WEB_ENTRY = fileURLToPath(new URL('../../out/main/web.js', import.meta.url))
const READY_LINE = /^Parley \(browser mode\) is at (http:\/\/127\.0\.0\.1:\d+\/)$/
const START_TIMEOUT_MS = 15_000

export interface WebApp {
  /** The address the server printed, e.g. http://127.0.0.1:41234/ */
  readonly url: string
}

/** Starts `node out/main/web.js` on a free port and resolves once it prints its address. */
function startWebApp(): Promise<{ url: string; server: ChildProcess }> {
  if (!existsSync(WEB_ENTRY)) {
    throw new Error(`${WEB_ENTRY} is missing: build first (npm run build, or npm run test:e2e which builds).`)
  }
  const server = spawn(process.execPath, [WEB_ENTRY], {
    cwd: ROOT,
    env: { ...process.env, PARLEY_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
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
      reject(new Error(`The browser-mode server did not start: ${reason}\n${stderr}`))
    }
    const timer = setTimeout(() => fail(`no address after ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS)
    server.once('error', (error) => fail(error.message))
    server.once('exit', (code, signal) => fail(`it exited (code ${String(code)}, signal ${String(signal)})`))
    if (!server.stdout) return fail('no stdout')
    createInterface({ input: server.stdout }).on('line', (line) => {
      const url = READY_LINE.exec(line)?.[1]
      if (url === undefined) return
      clearTimeout(timer)
      server.removeAllListeners('exit')
      resolve({ url, server })
    })
  })
}

async function stopWebApp(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()))
  server.kill('SIGTERM')
  const timer = setTimeout(() => server.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

/** Specs import `test` from here: each worker gets its own browser-mode server, and `page.goto('/')` opens it. */
export const test = base.extend<Record<never, never>, { webApp: WebApp }>({
  webApp: [
    async ({}, use) => {
      const { url, server } = await startWebApp()
      try {
        await use({ url })
      } finally {
        await stopWebApp(server)
      }
    },
    { scope: 'worker' }
  ],
  baseURL: async ({ webApp }, use) => {
    await use(webApp.url)
  }
})

export { expect } from '@playwright/test'
