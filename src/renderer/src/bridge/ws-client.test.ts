// The contract test of browser mode's bridge: this client against the real WebSocket host and a real core, in Node.
// (The one place renderer code meets src/main; eslint.config.js allows it for this folder's tests only.)
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { ParleyError, type ParleyApi, type ParleyEvent } from '../../../shared'
import { promptNeverAnswered, startEchoCore, type EchoCore } from '../../../main/core/service/echo-core'
import { attachWsHost, type WsHost } from '../../../main/host/ws-host'
import type { BridgeConnection, ConnectionState } from './connection'
import { keptRemovals, memoryRemovalStorage, type KeptRemovals } from './kept-removals'
import { createWsClient } from './ws-client'

const TOKEN = 'test-token-0123456789'

let echo: EchoCore
let server: Server
let host: WsHost
let url: string
const sockets = new Set<Socket>()
const clients: (ParleyApi & BridgeConnection)[] = []
const problems: string[] = []

beforeEach(async () => {
  echo = await startEchoCore()
  server = createServer()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  host = attachWsHost({ server, service: echo.core.service, token: TOKEN })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/parley`
  problems.length = 0
})
afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await host.close()
  await new Promise((resolve) => server.close(resolve))
  await echo.close()
})

function client(token = TOKEN, kept?: KeptRemovals, at = url): ParleyApi & BridgeConnection {
  const made = createWsClient({
    url: at,
    token,
    keptRemovals: kept,
    WebSocketImpl: WebSocket,
    minDelayMs: 10,
    maxDelayMs: 50,
    reportProblem: (message) => problems.push(message)
  })
  clients.push(made)
  return made
}

/** A chat whose "held" prompt runs and never ends, with "removed" queued behind it, and the RunCompletes heard. */
async function heldWithOneQueued(): Promise<{ api: ParleyApi & BridgeConnection; session: { id: string }; completes: { runId: string; cancelled: boolean }[] }> {
  const api = client()
  const session = await api.createSession({})
  const completes: { runId: string; cancelled: boolean }[] = []
  api.subscribe({ since: 0 }, (event) => {
    if (event.type === 'run.complete') completes.push(event.complete)
  })
  await api.enqueue({ sessionId: session.id, runId: 'held', prompt: promptNeverAnswered })
  await api.enqueue({ sessionId: session.id, runId: 'removed', prompt: 'not wanted' })
  await until(() => echo.core.agent.queuedPrompts(session.id) === 1)
  return { api, session, completes }
}

/** Cuts every TCP connection from the server's side, as a crashed network would. */
function dropConnections(): void {
  for (const socket of sockets) socket.destroy()
}

const until = (check: () => boolean): Promise<void> => expect.poll(check, { timeout: 5_000, interval: 5 }).toBe(true)

const busy = (n: number) => ({ type: 'session.busy', sessionId: `s${n}`, busy: n % 2 === 0 }) as const

describe('the WebSocket client against the real host', () => {
  it('runs calls, with validated results, including calls made before the socket opened', async () => {
    const api = client()
    expect(api.connectionState).toBe('connecting')
    const session = await api.createSession({ title: 'First' })
    expect(session).toMatchObject({ title: 'First' })
    expect(api.connectionState).toBe('open')
    await expect(api.renameSession(session.id, 'Renamed')).resolves.toBeUndefined()
    await expect(api.status()).resolves.toMatchObject({ lastSeq: echo.core.broker.lastSeq })
    await expect(api.run({ sessionId: session.id, prompt: 'hello' })).resolves.toMatchObject({ text: 'echo: hello' })
  })

  it('turns main\'s errors into ParleyErrors with the same code', async () => {
    const api = client()
    const refusal = await api.renameSession('missing', 'x').catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(ParleyError)
    expect(refusal).toMatchObject({ code: 'SessionMissing' })
    // Main looks the chat up before the prompt (a prompt may be only attachments, issue 14).
    const session = await api.createSession({})
    await expect(api.enqueue({ sessionId: session.id, prompt: '' })).rejects.toMatchObject({ code: 'EmptyPrompt' })
    await expect(api.ack(-1)).rejects.toMatchObject({ code: 'BadRequest' })
  })

  it('delivers events from since, and a later listener with an earlier since gets its replay without repeating the first', async () => {
    for (let n = 1; n <= 3; n++) echo.core.broker.publish(busy(n))
    const api = client()
    const first: number[] = []
    api.subscribe({ since: 1 }, (event) => first.push(event.seq))
    await until(() => first.length === 2)
    echo.core.broker.publish(busy(4))
    await until(() => first.length === 3)
    const second: number[] = []
    api.subscribe({ since: 0 }, (event) => second.push(event.seq))
    await until(() => second.length === 4)
    echo.core.broker.publish(busy(5))
    await until(() => first.length === 4 && second.length === 5)
    expect(first).toEqual([2, 3, 4, 5])
    expect(second).toEqual([1, 2, 3, 4, 5])
  })

  it('reconnects by itself and resumes from the last seq delivered: every event once, in order', async () => {
    const api = client()
    const states: ConnectionState[] = []
    api.onConnectionChange((state) => states.push(state))
    const seen: ParleyEvent[] = []
    api.subscribe({ since: 0 }, (event) => seen.push(event))
    await api.status()
    const total = 300
    let published = 0
    const publisher = setInterval(() => {
      for (let i = 0; i < 5 && published < total; i++) echo.core.broker.publish(busy(++published))
    }, 2)
    try {
      for (let drop = 0; drop < 4; drop++) {
        await until(() => api.connectionState === 'open' && published >= (drop + 1) * 60)
        dropConnections()
      }
      await until(() => published === total)
    } finally {
      clearInterval(publisher)
    }
    await until(() => seen.length >= total)
    expect(seen.map((event) => event.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    expect(states.filter((state) => state === 'reconnecting')).toHaveLength(4)
    expect(states.at(-1)).toBe('open')
    expect(problems).toEqual([])
  })

  it('a call in flight when the connection drops fails with Disconnected; the next call works', async () => {
    const api = client()
    await api.status()
    // Sent, and cut before main read it: the caller can't know whether it ran, so it is told, not re-sent.
    const call = api.createSession({ title: 'cut' })
    dropConnections()
    const failure = await call.catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(ParleyError)
    expect(failure).toMatchObject({ code: 'Disconnected' })
    await expect(api.status()).resolves.toMatchObject({ lastSeq: expect.any(Number) })
  })

  it('enqueue, unlike other calls, outlives a drop: the prompt is sent again by its runId and accepted once', async () => {
    const api = client()
    const session = await api.createSession({})
    await api.status()
    const call = api.enqueue({ sessionId: session.id, runId: 'cut-once', prompt: 'hello' })
    dropConnections()
    await expect(call).resolves.toMatchObject({ runId: 'cut-once' })
    await until(() => echo.model.chatRequests().length === 1)
    // Once accepted, the same runId is refused: the drop's resend could never make a second run.
    await expect(api.enqueue({ sessionId: session.id, runId: 'cut-once', prompt: 'hello' })).rejects.toMatchObject({ code: 'DuplicateRunId' })
    expect(echo.model.chatRequests()).toHaveLength(1)
  })

  it('G4: run, unlike other calls, outlives a drop: in flight or never read by main, it resolves with its RunComplete', async () => {
    const api = client()
    const session = await api.createSession({})
    await api.status()
    const unread = api.run({ sessionId: session.id, prompt: 'hello' })
    dropConnections()
    await expect(unread).resolves.toMatchObject({ sessionId: session.id, text: 'echo: hello' })
    const held = api.run({ sessionId: session.id, runId: 'held', prompt: promptNeverAnswered })
    await until(() => echo.core.agent.isSessionBusy(session.id))
    dropConnections()
    await until(() => api.connectionState === 'reconnecting')
    await until(() => api.connectionState === 'open')
    echo.core.agent.cancelRun('held')
    await expect(held).resolves.toMatchObject({ runId: 'held', cancelled: true })
    expect(echo.model.chatRequests()).toHaveLength(2)
  })

  it('D2: cancelRun, unlike other calls, outlives a drop: a queued prompt whose removal was cut off is removed, never run', async () => {
    const { api, session, completes } = await heldWithOneQueued()
    const removal = api.cancelRun('removed')
    dropConnections()
    // Whether the first call reached main or not, the prompt is removed, once, and never asked of the model.
    await expect(removal).resolves.toEqual(expect.any(Boolean))
    await until(() => completes.some((c) => c.runId === 'removed'))
    expect(completes.filter((c) => c.runId === 'removed')).toEqual([expect.objectContaining({ cancelled: true })])
    expect(echo.core.agent.queuedPrompts(session.id)).toBe(0)
    echo.core.agent.cancelRun('held')
    await until(() => completes.some((c) => c.runId === 'held'))
    expect(echo.model.chatRequests().map((r) => JSON.stringify(r)).filter((r) => r.includes('not wanted'))).toEqual([])
  })

  it('D2: a removal the page took with it is sent again by the next page on the same storage, and then let go', async () => {
    const storage = memoryRemovalStorage()
    const { session, completes } = await heldWithOneQueued()
    // The page that clicked × never reached main (its socket never opened) and then went away.
    const gone = client('wrong-token-0123456789', keptRemovals(storage))
    const removal = gone.cancelRun('removed')
    gone.close()
    await expect(removal).rejects.toMatchObject({ code: 'Disconnected' })
    expect(echo.core.agent.queuedPrompts(session.id)).toBe(1)
    // The next page sends it again by itself, once connected.
    client(TOKEN, keptRemovals(storage))
    await until(() => completes.some((c) => c.runId === 'removed'))
    expect(completes.filter((c) => c.runId === 'removed')).toEqual([expect.objectContaining({ cancelled: true })])
    expect(echo.core.agent.queuedPrompts(session.id)).toBe(0)
    await until(() => keptRemovals(storage).list().length === 0)
    echo.core.agent.cancelRun('held')
    await until(() => completes.some((c) => c.runId === 'held'))
    expect(echo.model.chatRequests().map((r) => JSON.stringify(r)).filter((r) => r.includes('not wanted'))).toEqual([])
  })

  it('D2: a kept removal main already answered (the run is gone) answers false and is let go', async () => {
    const storage = memoryRemovalStorage()
    keptRemovals(storage).keep('long-over')
    const api = client(TOKEN, keptRemovals(storage))
    await api.status()
    await until(() => keptRemovals(storage).list().length === 0)
    await expect(api.cancelRun('long-over')).resolves.toBe(false)
  })

  it('D2: a cancelRun the closed bridge cut off fails Disconnected (nothing reconnects to send it again)', async () => {
    const api = client()
    await api.status()
    const removal = api.cancelRun('whatever')
    api.close()
    await expect(removal).rejects.toMatchObject({ code: 'Disconnected' })
  })

  it('with the wrong token it never opens, and keeps trying; close() stops it and fails waiting calls', async () => {
    const api = client('wrong-token-0123456789')
    const states: ConnectionState[] = []
    api.onConnectionChange((state) => states.push(state))
    const call = api.status()
    await until(() => states.includes('reconnecting'))
    api.close()
    await expect(call).rejects.toMatchObject({ code: 'Disconnected' })
    await expect(api.status()).rejects.toMatchObject({ code: 'Disconnected' })
    expect(api.connectionState).toBe('closed')
    expect(states).not.toContain('open')
  })
})

describe('the WebSocket client against a misbehaving server', () => {
  it('rejects a result of the wrong shape and drops frames it cannot read, reporting both', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'parley.v1' })
    await new Promise((resolve) => wss.once('listening', resolve))
    wss.on('connection', (socket) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { kind: string; id?: number }
        if (frame.kind === 'subscribe') {
          socket.send('not json')
          socket.send(JSON.stringify({ kind: 'event', event: { type: 'session.busy', seq: 'one' } }))
          socket.send(JSON.stringify({ kind: 'event', event: busyEvent(1) }))
        }
        if (frame.kind === 'call') socket.send(JSON.stringify({ kind: 'result', id: frame.id, result: { lastSeq: -5 } }))
      })
    })
    try {
      const api = createWsClient({
        url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/parley`,
        token: TOKEN,
        WebSocketImpl: WebSocket,
        reportProblem: (message) => problems.push(message)
      })
      clients.push(api)
      const seen: number[] = []
      api.subscribe({ since: 0 }, (event) => seen.push(event.seq))
      await expect(api.status()).rejects.toMatchObject({ code: 'Internal' })
      await until(() => seen.length === 1)
      expect(seen).toEqual([1])
      expect(problems).toHaveLength(2)
    } finally {
      for (const socket of wss.clients) socket.terminate()
      await new Promise((resolve) => wss.close(resolve))
    }
  })
})

describe('A8: the window tells a restarted main it is ready, after the removals it kept', () => {
  /** A main that answers every call at once, records each connection's calls in order, and can hold some unanswered. */
  async function recordingMain(unanswered: (method: string, args: unknown[]) => boolean) {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'parley.v1' })
    await new Promise((resolve) => wss.once('listening', resolve))
    const connections: string[][] = []
    wss.on('connection', (socket) => {
      const calls: string[] = []
      connections.push(calls)
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { kind: string; id?: number; method?: string; args?: unknown[] }
        if (frame.kind !== 'call' || frame.method === undefined) return
        const args = frame.args ?? []
        calls.push([frame.method, ...args.map(String)].join(' '))
        if (unanswered(frame.method, args)) return
        socket.send(JSON.stringify({ kind: 'result', id: frame.id, result: frame.method === 'cancelRun' ? false : undefined }))
      })
    })
    return {
      url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/parley`,
      connections,
      dropAll: () => {
        for (const socket of wss.clients) socket.terminate()
      },
      close: async () => {
        for (const socket of wss.clients) socket.terminate()
        await new Promise((resolve) => wss.close(resolve))
      }
    }
  }

  const windowClient = (mainUrl: string, kept: KeptRemovals | undefined): ParleyApi & BridgeConnection => client(TOKEN, kept, mainUrl)


  it('A8: on every (re)connect a window sends its kept removals, then windowReady, in that order', async () => {
    // The removal made on the first connection is cut off by the drop: main never answers it there.
    let cutOff = true
    const main = await recordingMain((method, args) => cutOff && method === 'cancelRun' && args[0] === 'cut-off')
    try {
      const storage = memoryRemovalStorage()
      keptRemovals(storage).keep('left-by-the-last-page')
      keptRemovals(storage).keep('and-another')
      const api = windowClient(main.url, keptRemovals(storage))
      await until(() => main.connections[0]?.length === 3)
      expect(main.connections[0]).toEqual(['cancelRun left-by-the-last-page', 'cancelRun and-another', 'windowReady'])

      const removal = api.cancelRun('cut-off')
      await until(() => main.connections[0]?.length === 4)
      cutOff = false
      main.dropAll()
      // Main came back (a restart, as far as the window knows): the cut-off removal goes first, then windowReady.
      await until(() => main.connections[1]?.length === 2)
      expect(main.connections[1]).toEqual(['cancelRun cut-off', 'windowReady'])
      await expect(removal).resolves.toBe(false)
      expect(keptRemovals(storage).list()).toEqual([])
      expect(problems).toEqual([])
    } finally {
      await main.close()
    }
  })

  it('A8: while it holds a removal main has not answered, a window tries to reconnect at least once a second', async () => {
    // A port nothing listens on: main is down.
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const downUrl = `ws://127.0.0.1:${(probe.address() as AddressInfo).port}/parley`
    await new Promise((resolve) => probe.close(resolve))
    const attempts = { holding: 0, free: 0 }
    const counting = (which: keyof typeof attempts) =>
      class extends WebSocket {
        constructor(address: string, protocols: string[]) {
          super(address, protocols)
          attempts[which] += 1
        }
      }
    const storage = memoryRemovalStorage()
    keptRemovals(storage).keep('not-answered-yet')
    const options = { url: downUrl, token: TOKEN, minDelayMs: 2_000, maxDelayMs: 5_000, reportProblem: () => {} }
    clients.push(createWsClient({ ...options, keptRemovals: keptRemovals(storage), WebSocketImpl: counting('holding') }))
    // A window with nothing kept backs off as before (its first retry comes after about 2 s here).
    clients.push(createWsClient({ ...options, keptRemovals: keptRemovals(memoryRemovalStorage()), WebSocketImpl: counting('free') }))
    await new Promise((resolve) => setTimeout(resolve, 1_300))
    expect(attempts.holding).toBeGreaterThanOrEqual(2)
    expect(attempts.free).toBe(1)
  })

  it('A8: a client that keeps no removals (the attach worker) is not a window, and never says windowReady', async () => {
    const main = await recordingMain(() => false)
    try {
      const api = windowClient(main.url, undefined)
      await api.probeNow()
      expect(main.connections).toEqual([['probeNow']])
    } finally {
      await main.close()
    }
  })

  it("A8: through the real host, a window's windowReady ends a restarted core's hold, after its kept removal", async () => {
    // A core that brought a queue back: "removed" (the page removed it while main was down) and "kept".
    const restarted = await startEchoCore({ recoveryHoldMs: 60_000 })
    const restartedServer = createServer()
    const restartedHost = attachWsHost({ server: restartedServer, service: restarted.core.service, token: TOKEN })
    await new Promise<void>((resolve) => restartedServer.listen(0, '127.0.0.1', resolve))
    try {
      const session = restarted.core.agent.createSession({}).id
      const started: string[] = []
      restarted.core.broker.subscribe({ since: 0 }, (event) => {
        if (event.type === 'run.started') started.push(event.runId)
      })
      restarted.core.agent.restoreQueued([
        { runId: 'removed', sessionId: session, prompt: 'not wanted', enqueuedAt: 1 },
        { runId: 'kept', sessionId: session, prompt: 'wanted', enqueuedAt: 2 }
      ])
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(restarted.model.chatRequests()).toEqual([])

      const storage = memoryRemovalStorage()
      keptRemovals(storage).keep('removed')
      windowClient(`ws://127.0.0.1:${(restartedServer.address() as AddressInfo).port}/parley`, keptRemovals(storage))
      // Long before the hold's 60 s: the window's word ended it.
      await until(() => restarted.model.chatRequests().length === 1)
      expect(restarted.model.chatRequests().map((r) => r.messages.at(-1)?.content)).toEqual(['wanted'])
      // Removed while still queued, never started (and stopped) first.
      expect(started).toEqual(['kept'])
    } finally {
      await restartedHost.close()
      await new Promise((resolve) => restartedServer.close(resolve))
      await restarted.close()
    }
  })
})

function busyEvent(seq: number): ParleyEvent {
  return { type: 'session.busy', sessionId: 's', busy: true, seq, at: 0 }
}
