// Rule G4 over browser mode's bridge, with the real pieces in Node: the WebSocket client (what the page uses), the
// real browser host and core on a data folder, and the scripted model server (real HTTP and SSE). A TCP cable
// between client and host is cut as a network would; main is stopped and started again on the same folder and port,
// in this process (a quit) or as a child process killed with SIGKILL (a crash).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { settingsSchema, type ParleyApi, type RunComplete } from '../../src/shared'
import { createParleyCore, type ParleyCore } from '../../src/main/core/parley-core'
import { MemorySecretStore } from '../../src/main/core/settings/secret-store'
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host'
import type { BridgeConnection } from '../../src/renderer/src/bridge/connection'
import { createWsClient } from '../../src/renderer/src/bridge/ws-client'
import { lastUserText, startScriptedServer, unusedPort, type ScriptedServer } from '../../e2e/fixtures/scripted-server'
import { startCable, type Cable } from './fixtures/cable'

const TOKEN = 'lasting-run-test-token-0123456789'
const repo = join(import.meta.dirname, '..', '..')

let models: ScriptedServer
let rendererDir: string
const cleanups: (() => Promise<void> | void)[] = []

beforeEach(async () => {
  models = await startScriptedServer()
  // A prompt that starts with "hold" waits at a gate named after it; any other is answered at once. Titles: "Title".
  models.setDefault((request) => {
    const body = request.body as { model?: string } | undefined
    if (body?.model === 'title') return { text: 'Title' }
    const prompt = lastUserText(request)
    return prompt.startsWith('hold') ? { text: `answer to ${prompt}`, gate: prompt } : { text: `answer to ${prompt}` }
  })
  rendererDir = mkdtempSync(join(tmpdir(), 'parley-renderer-'))
  writeFileSync(join(rendererDir, 'index.html'), '<h1>Parley</h1>')
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await models.close()
  rmSync(rendererDir, { recursive: true, force: true })
})

const until = (check: () => boolean | Promise<boolean>, timeout = 10_000): Promise<void> =>
  expect.poll(check, { timeout, interval: 10 }).toBe(true)

/** The chat requests the model server got for this prompt (title requests aside). */
const asked = (prompt: string): number =>
  models.requests.filter((r) => r.path.endsWith('/chat/completions') && (r.body as { model?: string }).model !== 'title' && lastUserText(r) === prompt)
    .length

// ── Main, in this process: the real core and browser host on a data folder and a fixed port ─────────────────────

interface InProcessMain {
  readonly port: number
  readonly core: ParleyCore
  /** Quits as the browser-mode shell does (the core's shutdown, then the host), and starts again on the same folder. */
  restart(): Promise<void>
}

async function startMain(): Promise<InProcessMain> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-lasting-'))
  const port = await unusedPort()
  const settings = settingsSchema.parse({
    providers: [{ id: 'scripted', kind: 'openai', name: 'Scripted', baseUrl: models.url }],
    models: { large: { providerId: 'scripted', model: 'large' }, small: { providerId: 'scripted', model: 'title' } }
  })
  let core: ParleyCore
  let host: BrowserHost | undefined
  const boot = async (): Promise<void> => {
    core = await createParleyCore({ dataDir, secrets: new MemorySecretStore(), initialSettings: settings })
    host = await startBrowserHost({ service: core.service, rendererDir, port, token: TOKEN })
  }
  const stop = async (): Promise<void> => {
    await core.shutdown()
    await host?.close()
    host = undefined
  }
  await boot()
  cleanups.push(async () => {
    await stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    port,
    get core() {
      return core
    },
    async restart() {
      await stop()
      await boot()
    }
  }
}

// ── Main as a child process: `src/main/web.ts`, browser mode's own entry, killed with SIGKILL ───────────────────

interface ChildMain {
  readonly port: number
  /** SIGKILL: no shutdown, no last write. */
  kill(): Promise<void>
  start(): Promise<void>
}

async function startChildMain(): Promise<ChildMain> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-lasting-'))
  const port = await unusedPort()
  const env = {
    ...process.env,
    PARLEY_PORT: String(port),
    PARLEY_TOKEN: TOKEN,
    PARLEY_DATA_DIR: dataDir,
    PARLEY_PROVIDER_URL: models.url,
    PARLEY_MODEL: 'large',
    PARLEY_SMALL_MODEL: 'title',
    // No window reaches this main (its client is a run() caller): the queue it brings back starts at once (rule A8).
    PARLEY_RECOVERY_HOLD_MS: '0'
  }
  let child: ChildProcess | undefined
  const start = async (): Promise<void> => {
    const started = spawn(process.execPath, ['--import', 'tsx', join(repo, 'src/main/web.ts')], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    child = started
    const output = started.stdout
    if (!output) throw new Error('browser mode has no stdout to read')
    await new Promise<void>((resolve, reject) => {
      started.once('exit', (code) => reject(new Error(`browser mode exited (${code}) before it printed its address`)))
      createInterface({ input: output }).once('line', () => resolve())
    })
  }
  const kill = async (): Promise<void> => {
    const running = child
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    // Killed on purpose: the start's "exited before it printed" listener goes first.
    running.removeAllListeners('exit')
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    running.kill('SIGKILL')
    await exited
  }
  await start()
  cleanups.push(async () => {
    await kill()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return { port, kill, start }
}

// ── The page's side: the WebSocket client, and what it hears ─────────────────────────────────────────────────

type Client = ParleyApi & BridgeConnection

function client(port: number): Client {
  const made = createWsClient({
    url: `ws://127.0.0.1:${port}/parley`,
    token: TOKEN,
    WebSocketImpl: WebSocket,
    minDelayMs: 20,
    maxDelayMs: 200,
    reportProblem: () => {}
  })
  cleanups.push(() => made.close())
  return made
}

/** Every RunComplete the client's event stream delivers (it resumes after reconnects from the last seq it had). */
function heardCompletes(api: Client): RunComplete[] {
  const heard: RunComplete[] = []
  api.subscribe({ since: 0 }, (event) => {
    if (event.type === 'run.complete') heard.push(event.complete)
  })
  return heard
}

async function withCable(port: number): Promise<Cable> {
  const cable = await startCable(port)
  cleanups.push(() => cable.close())
  return cable
}

/** Lets whatever might still arrive (a second RunComplete, a second model request) arrive. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300))

describe('G4: run() over a bridge that drops', () => {
  it('G4: a run in flight when the connection drops resolves with its own RunComplete after the reconnect, once', async () => {
    const main = await startMain()
    const cable = await withCable(main.port)
    const api = client(cable.port)
    const heard = heardCompletes(api)
    const session = await api.createSession({})
    const other = await api.createSession({})
    // One answering, one queued behind it, one in another chat: each caller must get its own.
    const first = api.run({ sessionId: session.id, prompt: 'hold-first' })
    const second = api.run({ sessionId: session.id, prompt: 'second' })
    const third = api.run({ sessionId: other.id, prompt: 'hold-third' })
    await models.waitForGate('hold-first')
    await models.waitForGate('hold-third')
    await until(() => main.core.agent.queuedPrompts(session.id) === 1)

    cable.cut()
    await until(() => cable.connections >= 2 && api.connectionState === 'open')
    models.release('hold-first')
    models.release('hold-third')
    const results = await Promise.all([first, second, third])

    expect(results.map((c) => [c.sessionId, c.text, c.error, c.cancelled])).toEqual([
      [session.id, 'answer to hold-first', undefined, false],
      [session.id, 'answer to second', undefined, false],
      [other.id, 'answer to hold-third', undefined, false]
    ])
    expect(new Set(results.map((c) => c.runId)).size).toBe(3)
    await settle()
    for (const complete of results) {
      // Exactly the RunComplete main published for that run, and main published one.
      expect(heard.filter((c) => c.runId === complete.runId)).toEqual([complete])
    }
    expect([asked('hold-first'), asked('second'), asked('hold-third')]).toEqual([1, 1, 1])
  })

  it('G4: a run whose answer is lost on the way back gets its outcome at once after the reconnect, and does not run again', async () => {
    const main = await startMain()
    const cable = await withCable(main.port)
    const api = client(cable.port)
    const session = await api.createSession({})
    cable.hold('down')
    const running = api.run({ sessionId: session.id, runId: 'answer-lost', prompt: 'quick' })
    await until(() => main.core.journal.outcome('answer-lost') !== undefined)
    cable.cut()
    const complete = await running
    expect(complete).toEqual(main.core.journal.outcome('answer-lost'))
    expect(complete).toMatchObject({ runId: 'answer-lost', text: 'answer to quick', cancelled: false })
    await settle()
    expect(asked('quick')).toBe(1)
  })

  it('G4: a run whose frame never reached main is sent again under its name and runs exactly once', async () => {
    const main = await startMain()
    const cable = await withCable(main.port)
    const api = client(cable.port)
    const heard = heardCompletes(api)
    const session = await api.createSession({})
    cable.hold('up')
    const running = api.run({ sessionId: session.id, prompt: 'lost on the way' })
    await until(() => cable.heldBytes > 0)
    cable.cut()
    const complete = await running
    expect(complete).toMatchObject({ sessionId: session.id, text: 'answer to lost on the way', cancelled: false })
    await settle()
    expect(heard.filter((c) => c.runId === complete.runId)).toEqual([complete])
    expect(asked('lost on the way')).toBe(1)
    expect(main.core.agent.isSessionBusy(session.id)).toBe(false)
  })

  it('G4: close() rejects a run waiting for its outcome, at once, and later runs too', async () => {
    const main = await startMain()
    const cable = await withCable(main.port)
    const api = client(cable.port)
    const session = await api.createSession({})
    const running = api.run({ sessionId: session.id, prompt: 'hold-forever' })
    await models.waitForGate('hold-forever')
    cable.refuse(true)
    cable.cut()
    await until(() => api.connectionState === 'reconnecting')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const closedAt = Date.now()
    api.close()
    await expect(running).rejects.toMatchObject({ code: 'Disconnected' })
    expect(Date.now() - closedAt).toBeLessThan(1_000)
    await expect(api.run({ sessionId: session.id, prompt: 'after' })).rejects.toMatchObject({ code: 'Disconnected' })
    // The run itself goes on in main: the caller stopped waiting, nothing was cancelled.
    expect(main.core.agent.isSessionBusy(session.id)).toBe(true)
    models.release('hold-forever')
  })
})

describe('G4: run() across a restart of main', () => {
  it('G4: main quits and starts again on the same folder and port: the active run ends interrupted, the queued one runs, each caller gets its own, once', async () => {
    const main = await startMain()
    const api = client(main.port)
    const heard = heardCompletes(api)
    const session = await api.createSession({})
    const active = api.run({ sessionId: session.id, prompt: 'hold-active' })
    const queued = api.run({ sessionId: session.id, prompt: 'queued' })
    await models.waitForGate('hold-active')
    await until(() => main.core.agent.queuedPrompts(session.id) === 1)

    await main.restart()
    const [a, q] = await Promise.all([active, queued])
    expect(a).toMatchObject({ sessionId: session.id, error: 'interrupted', cancelled: false })
    expect(q).toMatchObject({ sessionId: session.id, text: 'answer to queued', cancelled: false })
    expect(q.error).toBeUndefined()
    expect(a.runId).not.toBe(q.runId)
    await settle()
    expect(heard.filter((c) => c.runId === a.runId)).toEqual([a])
    expect(heard.filter((c) => c.runId === q.runId)).toEqual([q])
    expect([asked('hold-active'), asked('queued')]).toEqual([1, 1])
  })

  it('G4: main is killed (SIGKILL) and starts again: the cut-off run ends interrupted, the queued one runs, each caller gets its own, once', async () => {
    const main = await startChildMain()
    const api = client(main.port)
    const heard = heardCompletes(api)
    const session = await api.createSession({})
    const active = api.run({ sessionId: session.id, prompt: 'hold-cut' })
    const queued = api.run({ sessionId: session.id, prompt: 'waits behind' })
    const settled: string[] = []
    const note = (name: string) => () => void settled.push(name)
    active.then(note('active'), note('active'))
    queued.then(note('queued'), note('queued'))
    await models.waitForGate('hold-cut')
    await until(async () => (await api.status()).sessions.some((s) => s.sessionId === session.id && s.queue.length === 1))

    await main.kill()
    await until(() => api.connectionState === 'reconnecting')
    // The callers wait through the outage: nothing settles while main is gone.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(settled).toEqual([])
    await main.start()
    const [a, q] = await Promise.all([active, queued])
    expect(a).toMatchObject({ sessionId: session.id, error: 'interrupted', cancelled: false })
    expect(q).toMatchObject({ sessionId: session.id, text: 'answer to waits behind', cancelled: false })
    await settle()
    expect(heard.filter((c) => c.runId === a.runId)).toEqual([a])
    expect(heard.filter((c) => c.runId === q.runId)).toEqual([q])
    expect([asked('hold-cut'), asked('waits behind')]).toEqual([1, 1])
  }, 60_000)
})
