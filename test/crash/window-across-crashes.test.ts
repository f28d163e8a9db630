// The window's half of "never loses a word", for real: this renderer's own bridge client, event applier and IndexedDB
// (fake-indexeddb) stay up while main, a child process on one data folder, is SIGKILLed at random moments and started
// again on the same port; meanwhile the window makes chats, sends prompts through the bridge and now and then reloads
// (a new page: a new bridge, its deltas in memory dropped, its history reopened) or loses its storage (rebuilt from
// main, which may be killed meanwhile). At the end,
// once main is idle, what the window stores is exactly main's history: every message, its text and its place.
// (Renderer code beside main's: type-checked by tsconfig.crash.json, which has both the DOM's types and Node's.)
// PARLEY_WINDOW_CRASH_STEPS=400 for a long run; PARLEY_WINDOW_CRASH_SEED repeats one.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { messageText, ParleyError, type Message, type ParleyApi } from '../../src/shared'
import { unusedPort, type ScriptedServer } from '../../e2e/fixtures/scripted-server'
import { startCrashModel } from './crash-model'
import { seededRandom } from '../../src/main/core/journal/test-fixtures/lifetimes'
import type { LifetimePlan } from './lifetime-plan'
import { EventApplier } from '../../src/renderer/src/db/applier'
import { restoreIfLost } from '../../src/renderer/src/db/history-rebuild'
import { ParleyDatabase } from '../../src/renderer/src/db/schema'
import { StreamingStore } from '../../src/renderer/src/db/streaming-store'
import type { BridgeConnection } from '../../src/renderer/src/bridge/connection'
import { createWsClient } from '../../src/renderer/src/bridge/ws-client'

const steps = Number(process.env['PARLEY_WINDOW_CRASH_STEPS'] ?? 40)
const seed = Number(process.env['PARLEY_WINDOW_CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31))
const token = 'crash-test-token-0123456789'
const fixture = join(import.meta.dirname, 'working-main.ts')


let model: ScriptedServer | undefined
/** Main as it runs now: each restart replaces it. */
let lifetime: Lifetime | undefined
let windowNow: Window | undefined
const dataDir = mkdtempSync(join(tmpdir(), 'parley-window-crash-'))
afterEach(async () => {
  windowNow?.close()
  lifetime?.child.kill('SIGKILL')
  await model?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** Main on the data folder, serving the bridge on `port`; resolves once it is started (or it died trying). */
function startMain(url: string, port: number): Lifetime {
  // The journal compacted every few kilobytes: kills land in its rewrites too.
  const plan: LifetimePlan = { since: 0, sessions: {}, steps: [], host: { port, token }, compactBytes: 4096 }
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, url, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const started = new Promise<void>((resolve) => {
    child.stdout?.on('data', () => resolve())
    child.once('close', () => resolve())
  })
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  return {
    child,
    started,
    kill: async () => {
      // A main that ended by itself (it could not start on what the last crash left?) is a failure, not a kill.
      if (child.exitCode !== null) throw new Error(`main exited by itself (${child.exitCode}): ${stderr.slice(-3000)}`)
      child.kill('SIGKILL')
      await closed
    }
  }
}

interface Lifetime {
  child: ChildProcess
  started: Promise<void>
  kill(): Promise<void>
}

/** A page of the window: its own bridge (a reload makes a new one), its history database, its applier. */
interface Window {
  bridge: ParleyApi & BridgeConnection
  db: ParleyDatabase
  applier: EventApplier
  close(): void
}

/** Loads a page as the window starts (start-app.tsx): the bridge, the history restored if it must be, the applier. */
async function openWindow(port: number, name: string): Promise<Window> {
  const bridge = createWsClient({ url: `ws://127.0.0.1:${port}/parley`, token, WebSocketImpl: WebSocket, minDelayMs: 20, maxDelayMs: 200 })
  const db = new ParleyDatabase(name, { indexedDB, IDBKeyRange })
  const close = (): void => {
    applier?.stop()
    db.close()
    bridge.close()
  }
  let applier: EventApplier | undefined
  try {
    await db.open()
    await restoreIfLost({ api: bridge, db })
    // Node has no animation frames: the bubbles' store is given timers (the applier must not care either way).
    const streaming = new StreamingStore((frame) => void setTimeout(frame, 16))
    applier = new EventApplier({ api: bridge, db, streaming, checkpointMs: 50, retryMs: 50 })
    await applier.start()
    return { bridge, db, applier, close }
  } catch (error) {
    close()
    throw error
  }
}

/** Main's whole history as a window copies it. */
async function mainHistory(bridge: ParleyApi): Promise<{ seq: number; messages: Message[]; leaves: Map<string, string | null> }> {
  let page = await bridge.historySnapshot({ cursor: null })
  const seq = page.seq
  const messages = page.messages.map((m) => m.message)
  const leaves = new Map(page.sessions.map((s) => [s.id, s.leafId]))
  while (page.next) {
    page = await bridge.historySnapshot({ cursor: page.next })
    messages.push(...page.messages.map((m) => m.message))
    for (const session of page.sessions) leaves.set(session.id, session.leafId)
  }
  return { seq, messages, leaves }
}

/** Whether the window holds exactly main's messages, as `shape` sees them. */
function sameHistory(stored: readonly Message[], main: readonly Message[]): boolean {
  return JSON.stringify(stored.map(shape).sort()) === JSON.stringify(main.map(shape).sort())
}

/** A message as both sides must agree on it. */
const shape = (m: Message): string =>
  JSON.stringify([m.id, m.sessionId, m.runId, m.role, m.status, m.finishReason ?? null, m.parentId ?? null, messageText(m)])

describe('the window across main killed at random moments (F3, B5, G1 to G3)', () => {
  it(`what the window stores is main's history, every message whole, after ${steps} random steps (seed ${seed})`, async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const next = seededRandom(seed)
    model = await startCrashModel()
    const port = await unusedPort()
    lifetime = startMain(model.url, port)
    const dbName = `window-crash-${seed}`
    windowNow = await openWindow(port, dbName)
    const chats: string[] = []
    const accepted = new Set<string>()
    const pending: Promise<unknown>[] = []
    // What was done, for a failure's message: chat:<id>, send:<runId>, lost:<runId>:<code>, kill@, reload@ and wipe@
    // the seq the window had committed.
    const done: string[] = []
    let kills = 0
    let reloads = 0
    let wipes = 0

    for (let step = 0; step < steps; step++) {
      const roll = next()
      if (chats.length < 2 || roll < 0.08) {
        const made = await windowNow.bridge.createSession({ title: `chat ${chats.length}` }).catch(() => undefined)
        if (made) chats.push(made.id)
        done.push(`chat:${made?.id.slice(0, 8) ?? 'failed'}`)
      } else if (roll < 0.6) {
        const runId = `w${step}`
        const sessionId = chats[Math.floor(next() * chats.length)] ?? ''
        // Not awaited, as the composer sends. One the kill cuts off is sent again by its runId once main is back.
        const sent = windowNow.bridge.enqueue({ sessionId, runId, prompt: `prompt ${runId}` })
        // Lost only with its page (a reload closes the bridge), or refused: the code says which.
        const lost = (error: unknown): number => done.push(`lost:${runId}:${error instanceof ParleyError ? error.code : String(error)}`)
        pending.push(sent.then(() => accepted.add(runId), lost))
        done.push(`send:${runId}`)
      } else if (roll < 0.75) {
        kills += 1
        done.push(`kill@${windowNow.applier.lastAppliedSeq}`)
        await lifetime.kill()
        await sleep(Math.floor(next() * 300))
        lifetime = startMain(model.url, port)
      } else if (roll < 0.85) {
        windowNow.close()
        reloads += 1
        done.push(`reload@${windowNow.applier.lastAppliedSeq}`)
        windowNow = await openWindow(port, dbName)
      } else if (roll < 0.9) {
        // The window's storage lost (cleared by the person, a new profile): it rebuilds from main, which may be killed
        // meanwhile (the next step may kill it while the rebuild runs: the rebuild is not awaited first).
        windowNow.close()
        wipes += 1
        done.push(`wipe@${windowNow.applier.lastAppliedSeq}`)
        await windowNow.db.delete()
        const opening = openWindow(port, dbName)
        // Handled now (awaited below): a failure must fail the test there, not as an unhandled rejection meanwhile.
        opening.catch(() => undefined)
        if (next() < 0.5) {
          kills += 1
          done.push('kill-while-rebuilding')
          await lifetime.kill()
          lifetime = startMain(model.url, port)
        }
        windowNow = await opening
      } else {
        await sleep(Math.floor(next() * 400))
      }
    }

    // The last lifetime runs to the end: every accepted prompt answered and main idle, then the window caught up.
    await lifetime.started
    const { bridge } = windowNow
    await Promise.all(pending)
    let history = await mainHistory(bridge)
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const status = await bridge.status()
      const idle = status.sessions.every((s) => !s.busy && s.queue.length === 0)
      const answered = new Set(history.messages.filter((m) => m.role === 'assistant' && m.status !== 'streaming').map((m) => m.runId))
      if (idle && [...accepted].every((runId) => answered.has(runId))) break
      await sleep(100)
      history = await mainHistory(bridge)
    }
    // Main idle, the window is given time to take in what is still coming (main's seq may name no event the window
    // will hear: a reserved seq after a restart, so the window's own seq can't be waited for).
    history = await mainHistory(bridge)
    const { db } = windowNow
    let stored = await db.messages.toArray()
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      if (sameHistory(stored, history.messages)) break
      await sleep(100)
      stored = await db.messages.toArray()
    }
    const sessions = await db.sessions.toArray()
    const summary = `${kills} kills, ${reloads} reloads, ${wipes} wipes, ${accepted.size} prompts accepted, ${history.messages.length} messages: ${done.join(' ')}`
    if (process.env['PARLEY_WINDOW_CRASH_VERBOSE'] === '1') console.log(summary)
    // Every accepted prompt is in main's history with its answer (the main-side test checks the rest of G1 to G4).
    const answered = new Set(history.messages.filter((m) => m.role === 'assistant').map((m) => m.runId))
    expect([...accepted].filter((runId) => !answered.has(runId)), summary).toEqual([])
    expect(stored.map(shape).sort(), summary).toEqual(history.messages.map(shape).sort())
    expect(new Map(sessions.map((s) => [s.id, s.leafId ?? null])), summary).toEqual(history.leaves)
  }, 60_000 + steps * 2_000)
})

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
