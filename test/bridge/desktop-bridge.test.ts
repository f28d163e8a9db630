// The desktop path without Electron: the preload's ParleyApi (src/preload/ipc-api.ts) wired to main's IPC binding
// (src/main/desktop/ipc.ts) through a fake IPC that structured-clones every message, as Electron does, and a real
// core behind it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ParleyApi, ParleyEvent } from '../../src/shared'
import { startEchoCore, type EchoCore } from '../../src/main/core/service/echo-core'
import { bindParleyIpc, type IpcEventLike, type IpcMainLike, type RendererContents } from '../../src/main/desktop/ipc'
import { createIpcApi, forContextBridge, type IpcRendererLike } from '../../src/preload/ipc-api'

const RENDERER = 'file:///app/out/renderer/index.html'
type MainListener = (event: IpcEventLike, ...args: unknown[]) => unknown
type RendererListener = (event: unknown, ...args: unknown[]) => void

/** One window: its ipcMain side, its webContents and its ipcRenderer, joined by structured clones. */
class FakeWindow implements IpcMainLike, RendererContents {
  readonly id = 1
  private readonly handlers = new Map<string, MainListener>()
  private readonly mainListeners = new Map<string, MainListener[]>()
  private readonly rendererListeners = new Map<string, RendererListener[]>()
  private readonly lifecycle = new Map<string, (() => void)[]>()
  url = RENDERER

  // ipcMain
  handle(channel: string, listener: MainListener): void {
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  on(channel: string, listener: MainListener | (() => void)): this {
    if (channel === 'render-process-gone') return this.once(channel, listener as () => void)
    this.mainListeners.set(channel, [...(this.mainListeners.get(channel) ?? []), listener as MainListener])
    return this
  }
  removeListener(channel: string, listener: MainListener): this {
    this.mainListeners.set(channel, (this.mainListeners.get(channel) ?? []).filter((l) => l !== listener))
    return this
  }
  // webContents
  send(channel: string, ...args: unknown[]): void {
    const copy = structuredClone(args)
    queueMicrotask(() => {
      for (const listener of this.rendererListeners.get(channel) ?? []) listener({ sender: 'ipcRenderer' }, ...copy)
    })
  }
  isDestroyed(): boolean {
    return false
  }
  once(event: string, listener: () => void): this {
    this.lifecycle.set(event, [...(this.lifecycle.get(event) ?? []), listener])
    return this
  }
  // ipcRenderer
  readonly renderer: IpcRendererLike = {
    // Sends and invokes from one page reach main in order, as on Electron's one IPC pipe per renderer.
    invoke: async (channel, ...args) => {
      const copy = structuredClone(args)
      await Promise.resolve()
      const handler = this.handlers.get(channel)
      if (!handler) throw new Error(`No handler registered for '${channel}'`)
      return structuredClone(await handler(this.event(), ...copy))
    },
    send: (channel, ...args) => {
      const copy = structuredClone(args)
      queueMicrotask(() => {
        for (const listener of this.mainListeners.get(channel) ?? []) listener(this.event(), ...copy)
      })
    },
    on: (channel, listener) => {
      this.rendererListeners.set(channel, [...(this.rendererListeners.get(channel) ?? []), listener])
    }
  }
  private event(): IpcEventLike {
    return { sender: this, senderFrame: { url: this.url, parent: null } }
  }
}

let echo: EchoCore
let window: FakeWindow
let unbind: () => void

beforeEach(async () => {
  echo = await startEchoCore()
  window = new FakeWindow()
  unbind = bindParleyIpc({
    ipcMain: window,
    service: echo.core.service,
    trusted: { rendererUrl: RENDERER, isOurWindow: (id) => id === 1 },
    warn: () => {}
  })
})
afterEach(async () => {
  unbind()
  await echo.close()
})

/** A page load: a fresh preload, as the page would see window.parley. */
const loadPage = (pageId: string): ParleyApi => forContextBridge(createIpcApi(window.renderer, pageId))

const until = (check: () => boolean): Promise<void> => expect.poll(check, { timeout: 5_000, interval: 5 }).toBe(true)

describe('the desktop bridge, preload to main, without Electron', () => {
  it('runs a turn: calls and events cross both ways', async () => {
    const api = loadPage('page-1')
    const events: ParleyEvent[] = []
    api.subscribe({ since: 0 }, (event) => events.push(event))
    const session = await api.createSession({ title: 'Desk' })
    const complete = await api.run({ sessionId: session.id, prompt: 'hello' })
    expect(complete).toMatchObject({ text: 'echo: hello', cancelled: false })
    await until(() => events.some((e) => e.type === 'run.complete'))
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    expect(events[0]).toMatchObject({ type: 'session.created', session: { id: session.id } })
  })

  it('G4: over IPC too, awaitRun answers with a run\'s RunComplete by its runId, and refuses an unknown one', async () => {
    const api = loadPage('page-1')
    const session = await api.createSession({})
    const complete = await api.run({ sessionId: session.id, prompt: 'named' })
    expect(complete.runId).toMatch(/^[0-9a-f-]{36}$/)
    expect(echo.core.journal.outcome(complete.runId)).toEqual(complete)
    await expect(api.awaitRun(complete.runId)).resolves.toEqual(complete)
    const unknown = await api.awaitRun('never-sent').catch((error: unknown) => structuredClone(error))
    expect(unknown).toMatchObject({ name: 'ParleyError', code: 'RunUnknown' })
  })

  it('a refusal reaches the page as a cloneable { code, message }', async () => {
    const api = loadPage('page-1')
    const refusal = await api.renameSession('missing', 'x').catch((error: unknown) => structuredClone(error))
    expect(refusal).toMatchObject({ name: 'ParleyError', code: 'SessionMissing' })
  })

  it('a reloaded page gets its own stream from its since; the old page hears nothing more', async () => {
    const first = loadPage('page-1')
    const before: number[] = []
    first.subscribe({ since: 0 }, (event) => before.push(event.seq))
    await first.createSession({})
    await until(() => before.length === 1)
    const second = loadPage('page-2')
    const after: number[] = []
    second.subscribe({ since: 1 }, (event) => after.push(event.seq))
    await second.createSession({})
    await until(() => after.length === 1)
    expect(after).toEqual([2])
    expect(before).toEqual([1])
  })

  it('a page that navigated elsewhere is refused', async () => {
    const api = loadPage('page-1')
    window.url = 'https://evil.example/'
    await expect(api.status()).rejects.toMatchObject({ code: 'Unauthorized' })
  })
})
