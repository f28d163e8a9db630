import { readIndexedDb } from '../fixtures/indexeddb'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, type Page } from '@playwright/test'
import { chatModel, scriptedModelsFixture, titleModel, type ScriptedModels } from '../fixtures/scripted-models'
import { unusedPort } from '../fixtures/scripted-server'
import { expectExit, startWebApp, stopWebApp } from './web-app'

/**
 * Browser mode's server as a process a test may kill: `node out/main/web.js` on a fixed port, with a fixed token and
 * data folder, so that after a SIGKILL it starts again at the same origin. The page then reconnects by itself with
 * the token it kept, and finds its own IndexedDB (same origin, same database) and main's journal (same folder).
 */
export interface HostProcess {
  /** The printed address, token in the fragment. */
  readonly url: string
  /** http://127.0.0.1:PORT */
  readonly origin: string
  readonly port: number
  readonly token: string
  readonly dataDir: string
  /** ws://127.0.0.1:PORT/parley, for a Node-side client. */
  readonly bridgeUrl: string
  /** SIGKILL: no shutdown, no last write, as in a crash or an OOM kill. Resolves once the process is gone. */
  kill(): Promise<void>
  /** Starts the server again on the same port, token and data folder; resolves once it prints its address. */
  restart(): Promise<void>
  /** Stops it (SIGTERM) if it runs, and deletes the data folder. */
  stop(): Promise<void>
}

/** A token of our own, so the page's stored one still opens the restarted server. */
const TOKEN = 'host-process-e2e-token-0123456789abcdef'

export async function startHostProcess(providerUrl: string, extraEnv: Readonly<Record<string, string>> = {}): Promise<HostProcess> {
  const port = await unusedPort()
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-host-'))
  const env = {
    ...extraEnv,
    PARLEY_PORT: String(port),
    PARLEY_TOKEN: TOKEN,
    PARLEY_DATA_DIR: dataDir,
    PARLEY_PROVIDER_URL: providerUrl,
    PARLEY_MODEL: chatModel,
    PARLEY_SMALL_MODEL: titleModel
  }
  let server: ChildProcess = await launch(env)
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/#token=${TOKEN}`,
    origin,
    port,
    token: TOKEN,
    dataDir,
    bridgeUrl: `ws://127.0.0.1:${port}/parley`,
    async kill() {
      if (server.exitCode !== null || server.signalCode !== null) return
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()))
      expectExit(server)
      server.kill('SIGKILL')
      await exited
    },
    async restart() {
      server = await launch(env)
    },
    async stop() {
      await stopWebApp(server)
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/**
 * Starts the server; tries again while the port is still held. The port was free when picked, and a killed
 * server's listening socket goes with its process, but another process may grab a free port in between.
 */
async function launch(env: Record<string, string>): Promise<ChildProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await startWebApp(env)).server
    } catch (error) {
      if (attempt >= 5 || !String(error).includes('EADDRINUSE')) throw error
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
    }
  }
}

/**
 * Each test gets its own scripted model server and its own killable browser-mode server (its own port, so its own
 * origin and IndexedDB).
 */
export const test = base.extend<{ scripted: ScriptedModels; host: HostProcess; hostEnv: Record<string, string> }>({
  /** More of the server's environment, for every start (`test.use({ hostEnv: { PARLEY_RECOVERY_HOLD_MS: '…' } })`). */
  hostEnv: [{}, { option: true }],
  scripted: scriptedModelsFixture,
  host: async ({ scripted, hostEnv }, use) => {
    const host = await startHostProcess(scripted.server.url, hostEnv)
    try {
      await use(host)
    } finally {
      await host.stop()
    }
  }
})

export { expect } from '@playwright/test'

/** A message row as the page's Dexie keeps it: the fields these tests read. */
export interface StoredMessage {
  id: string
  sessionId: string
  runId: string
  role: 'user' | 'assistant'
  status: 'streaming' | 'finished'
  finishReason?: string
  parts: { type: 'text' | 'reasoning'; text: string }[]
  /** The row's watermark: the last event folded into it. */
  seq: number
  /** The seq of the event that created it: the chat's order. */
  createdSeq: number
}

export interface StoredHistory {
  sessions: { id: string; title: string | null }[]
  messages: StoredMessage[]
  lastAppliedSeq: number
}

/** The text parts of a stored message, joined (as `messageText` does in main). */
export function storedText(message: Pick<StoredMessage, 'parts'>): string {
  return message.parts
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('')
}

/** Reads the page's IndexedDB directly (not through the app). */
export async function readStoredHistory(page: Page): Promise<StoredHistory> {
  const tables = await readIndexedDb(page)
  const applied = (tables['meta'] as { key: string; value: number }[] | undefined)?.find((row) => row.key === 'lastAppliedSeq')
  return {
    sessions: (tables['sessions'] ?? []) as StoredHistory['sessions'],
    messages: (tables['messages'] ?? []) as StoredMessage[],
    lastAppliedSeq: applied?.value ?? 0
  }
}

export interface BridgeTraffic {
  /** How many RunCompletes the page received, by runId. */
  runCompletes(runId: string): { runId: string; error?: string; cancelled: boolean; text: string }[]
  /** Every RunComplete the page received. */
  readonly allRunCompletes: readonly { runId: string; error?: string; cancelled: boolean; text: string }[]
  /** The highest seq the page has acknowledged and main has answered: main has those events from the page's view. */
  readonly acknowledgedSeq: number
  /** How many bridge WebSockets the page opened. */
  readonly sockets: number
}

/** Listens to the page's bridge sockets: call it before the page opens. */
export function watchBridge(page: Page): BridgeTraffic {
  const completes: { runId: string; error?: string; cancelled: boolean; text: string }[] = []
  let acknowledgedSeq = 0
  let sockets = 0
  // Call ids keep counting across reconnects (one client per page), so an id names one ack for the page's life.
  const acksInFlight = new Map<number, number>()
  page.on('websocket', (socket) => {
    sockets += 1
    socket.on('framesent', ({ payload }) => {
      const frame = parse(payload) as { kind?: string; id?: number; method?: string; args?: unknown[] } | undefined
      if (frame?.kind === 'call' && frame.method === 'ack' && typeof frame.id === 'number' && typeof frame.args?.[0] === 'number') {
        acksInFlight.set(frame.id, frame.args[0])
      }
    })
    socket.on('framereceived', ({ payload }) => {
      const frame = parse(payload) as
        | { kind?: string; id?: number; event?: { type?: string; complete?: (typeof completes)[number] } }
        | undefined
      if (frame?.kind === 'event' && frame.event?.type === 'run.complete' && frame.event.complete) {
        completes.push(frame.event.complete)
      }
      if (frame?.kind === 'result' && typeof frame.id === 'number') {
        const seq = acksInFlight.get(frame.id)
        if (seq !== undefined) acknowledgedSeq = Math.max(acknowledgedSeq, seq)
        acksInFlight.delete(frame.id)
      }
    })
  })
  return {
    runCompletes: (runId) => completes.filter((c) => c.runId === runId),
    allRunCompletes: completes,
    get acknowledgedSeq() {
      return acknowledgedSeq
    },
    get sockets() {
      return sockets
    }
  }
}

function parse(payload: string | Buffer): unknown {
  if (typeof payload !== 'string') return undefined
  try {
    return JSON.parse(payload) as unknown
  } catch {
    return undefined
  }
}
