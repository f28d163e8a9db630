import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEchoCore, type EchoCore } from '../core/service/echo-core'
import { bindParleyIpc, type IpcEventLike, type IpcMainLike, type RendererContents } from './ipc'

const RENDERER = 'file:///app/out/renderer/index.html'

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown

/** ipcMain without Electron: the test plays the renderer by calling the registered handlers directly. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>()
  readonly listeners = new Map<string, Listener[]>()
  handle(channel: string, listener: Listener): void {
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  on(channel: string, listener: Listener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener])
    return this
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener))
    return this
  }
}

/** A window's webContents: records what main sends it, and can be destroyed or crash. */
class FakeContents implements RendererContents {
  readonly received: { channel: string; args: unknown[] }[] = []
  destroyed = false
  private readonly handlers = new Map<string, (() => void)[]>()
  constructor(readonly id: number) {}
  send(channel: string, ...args: unknown[]): void {
    this.received.push({ channel, args })
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  once(event: string, listener: () => void): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener])
    return this
  }
  on(event: string, listener: () => void): this {
    return this.once(event, listener)
  }
  emit(event: 'destroyed' | 'render-process-gone'): void {
    if (event === 'destroyed') this.destroyed = true
    for (const listener of this.handlers.get(event) ?? []) listener()
  }
  events(pageId: string): number[] {
    return this.received
      .filter((m) => m.channel === 'parley:event' && m.args[0] === pageId)
      .map((m) => (m.args[1] as { event: { seq: number } }).event.seq)
  }
}

let echo: EchoCore
let ipcMain: FakeIpcMain
let window: FakeContents
let unbind: () => void
const warnings: string[] = []

beforeEach(async () => {
  echo = await startEchoCore()
  ipcMain = new FakeIpcMain()
  window = new FakeContents(1)
  warnings.length = 0
  unbind = bindParleyIpc({
    ipcMain,
    service: echo.core.service,
    trusted: { rendererUrl: RENDERER, isOurWindow: (id) => id === 1 },
    warn: (message) => warnings.push(message)
  })
})
afterEach(async () => {
  unbind()
  await echo.close()
})

function from(contents: FakeContents, url = RENDERER, isMainFrame = true): IpcEventLike {
  return { sender: contents, senderFrame: { url, parent: isMainFrame ? null : {} } }
}
const call = (event: IpcEventLike, method: string, ...args: unknown[]) =>
  Promise.resolve(ipcMain.handlers.get('parley:call')?.(event, method, args))
function post(event: IpcEventLike, channel: string, pageId: unknown, frame: unknown): void {
  for (const listener of ipcMain.listeners.get(channel) ?? []) listener(event, pageId, frame)
}
const busy = (n: number) => ({ type: 'session.busy', sessionId: `s${n}`, busy: true }) as const

describe('the IPC binding', () => {
  it('answers parley:call with dispatch\'s outcome for our window, and Unauthorized for anyone else', async () => {
    expect(await call(from(window), 'createSession', { title: 'hi' })).toMatchObject({ ok: true, result: { title: 'hi' } })
    expect(await call(from(window), 'renameSession', 'missing', 'x')).toMatchObject({
      ok: false,
      error: { code: 'SessionMissing' }
    })
    const seq = echo.core.broker.lastSeq
    const strangers: IpcEventLike[] = [
      from(window, RENDERER, false),
      from(window, 'https://evil.example/'),
      from(new FakeContents(2)),
      { sender: window, senderFrame: null }
    ]
    for (const stranger of strangers) {
      const refusal = { ok: false, error: expect.objectContaining({ code: 'Unauthorized' }) }
      expect(await call(stranger, 'createSession', {})).toEqual(refusal)
    }
    expect(echo.core.broker.lastSeq).toBe(seq)
    expect(warnings).toHaveLength(strangers.length)
  })

  it('tells after each answered call from our window, with its method, and never for a stranger', async () => {
    unbind()
    const answered: string[] = []
    unbind = bindParleyIpc({
      ipcMain,
      service: echo.core.service,
      trusted: { rendererUrl: RENDERER, isOurWindow: (id) => id === 1 },
      warn: (message) => warnings.push(message),
      onAnswered: (method) => answered.push(method)
    })
    await call(from(window), 'status')
    await call(from(window), 'renameSession', 'missing', 'x')
    await call(from(window, 'https://evil.example/'), 'status')
    expect(answered).toEqual(['status', 'renameSession'])
  })

  it('never puts an API key in a warning, even from a refused sender', async () => {
    const patch = { apiKey: { providerId: 'echo', key: 'sk-do-not-log-me' } }
    await call(from(window, 'https://evil.example/'), 'updateSettings', patch)
    await call(from(window), 'updateSettings', patch)
    expect(warnings).toHaveLength(1)
    expect(warnings.join('\n')).not.toContain('sk-do-not-log-me')
  })

  // Events go out once the journal has written what they depend on (the gate): these wait for that.
  const settled = async (): Promise<void> => {
    await echo.core.journal.durable()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }

  it('streams events to the page that subscribed, tagged with its page id; a reloaded page replaces it', async () => {
    echo.core.broker.publish(busy(1))
    post(from(window), 'parley:subscribe', 'page-a', { kind: 'subscribe', since: 0 })
    echo.core.broker.publish(busy(2))
    await expect.poll(() => window.events('page-a')).toEqual([1, 2])
    // The window reloads: the new page's first message closes the old page's stream.
    post(from(window), 'parley:subscribe', 'page-b', { kind: 'subscribe', since: 2 })
    echo.core.broker.publish(busy(3))
    await expect.poll(() => window.events('page-b')).toEqual([3])
    expect(window.events('page-a')).toEqual([1, 2])
  })

  it('drops the stream when the window is destroyed or its renderer dies', async () => {
    post(from(window), 'parley:subscribe', 'page-a', { kind: 'subscribe', since: 0 })
    window.emit('render-process-gone')
    echo.core.broker.publish(busy(1))
    await settled()
    expect(window.events('page-a')).toEqual([])
    post(from(window), 'parley:subscribe', 'page-b', { kind: 'subscribe', since: 0 })
    await expect.poll(() => window.received.filter((m) => m.args[0] === 'page-b')).toHaveLength(1)
    window.emit('destroyed')
    echo.core.broker.publish(busy(2))
    await settled()
    expect(window.received.filter((m) => m.args[0] === 'page-b')).toHaveLength(1)
  })

  it('ignores stream messages from strangers and without a page id; answers bad frames with parley:error', () => {
    post(from(window, 'https://evil.example/'), 'parley:subscribe', 'page-a', { kind: 'subscribe', since: 0 })
    post(from(window), 'parley:subscribe', 42, { kind: 'subscribe', since: 0 })
    echo.core.broker.publish(busy(1))
    expect(window.received).toEqual([])
    post(from(window), 'parley:subscribe', 'page-a', { kind: 'subscribe', since: -3 })
    post(from(window), 'parley:subscribe', 'page-a', { kind: 'unsubscribe' })
    post(from(window), 'parley:unsubscribe', 'page-a', { kind: 'unsubscribe', extra: 1 })
    const replies = window.received.map((m) => [m.channel, m.args[0], (m.args[1] as { error: { code: string } }).error.code])
    expect(replies).toEqual([
      ['parley:error', 'page-a', 'BadRequest'],
      ['parley:error', 'page-a', 'BadRequest'],
      ['parley:error', 'page-a', 'BadRequest']
    ])
  })

  it('unbinding removes the handlers and closes every page\'s session', () => {
    post(from(window), 'parley:subscribe', 'page-a', { kind: 'subscribe', since: 0 })
    unbind()
    expect(ipcMain.handlers.size).toBe(0)
    expect([...ipcMain.listeners.values()].flat()).toEqual([])
    echo.core.broker.publish(busy(1))
    expect(window.events('page-a')).toEqual([])
    unbind = () => {}
  })
})
