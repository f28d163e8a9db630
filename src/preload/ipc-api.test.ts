import { describe, expect, it } from 'vitest'
import { ParleyError, type CallOutcome, type ParleyEvent } from '../shared'
import { createIpcApi, forContextBridge, type IpcRendererLike } from './ipc-api'

const PAGE = 'page-1'

/** ipcRenderer without Electron: canned call outcomes, a record of what was sent, and a way to push from main. */
class FakeIpc implements IpcRendererLike {
  readonly invoked: unknown[][] = []
  readonly sent: { channel: string; args: unknown[] }[] = []
  readonly problems: string[] = []
  private readonly listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>()
  constructor(private readonly answer: (method: unknown, args: unknown) => unknown = () => ({ ok: true })) {}

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args])
    return this.answer(args[0], args[1])
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args })
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener])
    return this
  }
  push(channel: string, ...args: unknown[]): void {
    const ipcRendererEvent = { sender: 'the IpcRendererEvent, which must not reach the page' }
    for (const listener of this.listeners.get(channel) ?? []) listener(ipcRendererEvent, ...args)
  }
  api() {
    return createIpcApi(this, PAGE, { reportProblem: (message) => this.problems.push(message) })
  }
}

const busy = (seq: number): ParleyEvent => ({ type: 'session.busy', sessionId: 's', busy: true, seq, at: 0 })

describe('the preload: ParleyApi over IPC', () => {
  it('calls through invoke("parley:call", method, args) and validates the result', async () => {
    const ipc = new FakeIpc((method): CallOutcome => {
      if (method === 'clearQueue') return { ok: true, result: 2 }
      if (method === 'cancelRun') return { ok: true, result: 'not a boolean' }
      if (method === 'status') return { surprise: true } as unknown as CallOutcome
      return { ok: false, error: { code: 'SessionMissing', message: 'There is no session "s".' } }
    })
    const api = ipc.api()
    await expect(api.clearQueue('s')).resolves.toBe(2)
    expect(ipc.invoked[0]).toEqual(['parley:call', 'clearQueue', ['s']])
    const refused = await api.cancel('s').catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(ParleyError)
    expect(refused).toMatchObject({ code: 'SessionMissing', message: 'There is no session "s".' })
    await expect(api.cancelRun('r')).rejects.toMatchObject({ code: 'Internal' })
    await expect(api.status()).rejects.toMatchObject({ code: 'Internal' })
  })

  it('subscribes on parley:subscribe and hands the page only validated events of its own page, once each', () => {
    const ipc = new FakeIpc()
    const api = ipc.api()
    const received: unknown[][] = []
    const unsubscribe = api.subscribe({ since: 4 }, (...args: unknown[]) => received.push(args))
    expect(ipc.sent).toEqual([{ channel: 'parley:subscribe', args: [PAGE, { kind: 'subscribe', since: 4, stream: 1 }] }])
    ipc.push('parley:event', PAGE, { kind: 'event', event: busy(5) })
    ipc.push('parley:event', PAGE, { kind: 'event', event: busy(5) })
    ipc.push('parley:event', 'an-older-page', { kind: 'event', event: busy(6) })
    ipc.push('parley:event', PAGE, { kind: 'event', event: { type: 'session.busy', seq: 'seven' } })
    ipc.push('parley:event', PAGE, { kind: 'event', event: busy(3) })
    ipc.push('parley:event', PAGE, { kind: 'event', event: busy(8) })
    expect(received).toEqual([[busy(5)], [busy(8)]])
    expect(ipc.problems).toHaveLength(1)
    unsubscribe()
    expect(ipc.sent.at(-1)).toEqual({ channel: 'parley:unsubscribe', args: [PAGE, { kind: 'unsubscribe' }] })
  })

  it('for contextBridge, a failed call rejects with a plain object that keeps its code when copied', async () => {
    const ipc = new FakeIpc(() => ({ ok: false, error: { code: 'DuplicateRunId', message: 'That run id is taken.' } }))
    const exposed = forContextBridge(ipc.api())
    const rejection = await exposed.enqueue({ sessionId: 's', runId: 'r', prompt: 'hi' }).catch((e: unknown) => e)
    expect(rejection).not.toBeInstanceOf(Error)
    expect(structuredClone(rejection)).toEqual({ name: 'ParleyError', code: 'DuplicateRunId', message: 'That run id is taken.' })
  })
})
