import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket, type ClientOptions } from 'ws'
import { bridgeProtocol, bridgeProtocols, serverFrameSchema, wireLimits, type ServerFrame } from '../../shared'
import { startEchoCore, type EchoCore } from '../core/service/echo-core'
import { attachWsHost, type WsHost } from './ws-host'

const TOKEN = 'a'.repeat(64)

let echo: EchoCore
let server: Server
let host: WsHost
let port: number
const clients: WebSocket[] = []

async function start(highWaterBytes?: number): Promise<void> {
  echo = await startEchoCore()
  server = createServer((_, response) => response.writeHead(404).end())
  const slowAbove = highWaterBytes === undefined ? {} : { highWaterBytes }
  host = attachWsHost({ server, service: echo.core.service, token: TOKEN, ...slowAbove })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
}

beforeEach(async () => {
  await start()
})
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate()
  await host.close()
  await new Promise((resolve) => server.close(resolve))
  await echo.close()
})

/** A raw `ws` client that keeps every frame main sends it. */
class Client {
  readonly frames: ServerFrame[] = []
  private waiters: (() => void)[] = []
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(serverFrameSchema.parse(JSON.parse(String(data))))
      for (const wake of this.waiters.splice(0)) wake()
    })
  }
  send(value: unknown): void {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value))
  }
  async next(predicate: (frame: ServerFrame) => boolean = () => true, ms = 5_000): Promise<ServerFrame> {
    const end = Date.now() + ms
    for (;;) {
      const index = this.frames.findIndex(predicate)
      if (index >= 0) return this.frames.splice(index, 1)[0] as ServerFrame
      if (Date.now() > end) throw new Error(`no such frame; have ${JSON.stringify(this.frames).slice(0, 500)}`)
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
  }
  async call(id: number, method: string, ...args: unknown[]): Promise<ServerFrame> {
    this.send({ kind: 'call', id, method, args })
    return this.next((f) => (f.kind === 'result' || f.kind === 'error') && f.id === id)
  }
}

type Attempt = { open: true; client: Client } | { open: false; status: number }

function connect(options: { protocols?: string[]; origin?: string; path?: string } = {}): Promise<Attempt> {
  const init: ClientOptions = options.origin ? { origin: options.origin } : {}
  const address = `ws://127.0.0.1:${port}${options.path ?? '/parley'}`
  const socket = new WebSocket(address, options.protocols ?? bridgeProtocols(TOKEN), init)
  clients.push(socket)
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ open: true, client: new Client(socket) }))
    socket.once('unexpected-response', (_, response) => resolve({ open: false, status: response.statusCode ?? 0 }))
    socket.once('error', reject)
  })
}

async function open(options: Parameters<typeof connect>[0] = {}): Promise<Client> {
  const attempt = await connect(options)
  if (!attempt.open) throw new Error(`refused with ${attempt.status}`)
  return attempt.client
}

describe('the WebSocket host: who may connect', () => {
  it('refuses a missing or wrong token at the upgrade with 401, and accepts the right one', async () => {
    expect(await connect({ protocols: [bridgeProtocol] })).toEqual({ open: false, status: 401 })
    expect(await connect({ protocols: bridgeProtocols('b'.repeat(64)) })).toEqual({ open: false, status: 401 })
    expect(await connect({ protocols: bridgeProtocols(TOKEN.slice(1)) })).toEqual({ open: false, status: 401 })
    const client = await open()
    expect(client.socket.protocol).toBe(bridgeProtocol)
  })

  it('refuses another origin with 403, even with the token; accepts its own origins and a client with none', async () => {
    expect(await connect({ origin: 'http://evil.example' })).toEqual({ open: false, status: 403 })
    expect(await connect({ origin: `http://127.0.0.1:${port + 1}` })).toEqual({ open: false, status: 403 })
    expect(await connect({ origin: 'null' })).toEqual({ open: false, status: 403 })
    expect((await connect({ origin: `http://127.0.0.1:${port}` })).open).toBe(true)
    expect((await connect({ origin: `http://localhost:${port}` })).open).toBe(true)
    expect((await connect()).open).toBe(true)
    // A wrong origin without a token is refused as well, by whichever rule comes first.
    expect(await connect({ origin: 'http://evil.example', protocols: [bridgeProtocol] })).toMatchObject({ open: false })
  })

  it('answers only at /parley, and wants the parley.v1 subprotocol', async () => {
    expect(await connect({ path: '/elsewhere' })).toEqual({ open: false, status: 404 })
    expect(await connect({ protocols: [`parley.token.${TOKEN}`] })).toEqual({ open: false, status: 400 })
  })
})

describe('the WebSocket host: serving', () => {
  it('runs calls and answers with typed results and errors', async () => {
    const client = await open()
    const created = await client.call(1, 'createSession', { title: 'Hello' })
    expect(created).toMatchObject({ kind: 'result', id: 1, result: { title: 'Hello' } })
    expect(await client.call(2, 'renameSession', 'missing', 'x')).toMatchObject({
      kind: 'error',
      id: 2,
      error: { code: 'SessionMissing' }
    })
    expect(await client.call(3, 'ack', 0)).toEqual({ kind: 'result', id: 3 })
  })

  it('answers every kind of bad frame with a typed error, changes nothing, and keeps serving', async () => {
    const client = await open()
    await client.call(0, 'createSession', {})
    const seq = echo.core.broker.lastSeq
    const deep = '['.repeat(10_000) + ']'.repeat(10_000)
    const cases: [string, unknown, { id: number | null; code: string }][] = [
      ['not JSON', 'this is { not json', { id: null, code: 'BadRequest' }],
      ['a JSON number', '42', { id: null, code: 'BadRequest' }],
      ['an array', '[1,2]', { id: null, code: 'BadRequest' }],
      ['null', 'null', { id: null, code: 'BadRequest' }],
      ['no kind', {}, { id: null, code: 'BadRequest' }],
      ['an unknown kind', { kind: 'explode' }, { id: null, code: 'BadRequest' }],
      ['a call without an id', { kind: 'call', method: 'status', args: [] }, { id: null, code: 'BadRequest' }],
      ['a call without args', { kind: 'call', id: 11, method: 'status' }, { id: 11, code: 'BadRequest' }],
      ['an unknown method', { kind: 'call', id: 12, method: 'launchRockets', args: [] }, { id: 12, code: 'UnknownMethod' }],
      ['a prototype method', { kind: 'call', id: 13, method: 'constructor', args: [] }, { id: 13, code: 'UnknownMethod' }],
      ['wrong arguments', { kind: 'call', id: 14, method: 'enqueue', args: [{ sessionId: 5 }] }, { id: 14, code: 'BadRequest' }],
      ['an extra field', { kind: 'subscribe', since: 0, extra: true }, { id: null, code: 'BadRequest' }],
      ['a negative since', { kind: 'subscribe', since: -1 }, { id: null, code: 'BadRequest' }],
      ['a huge method name', { kind: 'call', id: 15, method: 'x'.repeat(10_000_000), args: [] }, { id: 15, code: 'BadRequest' }],
      [
        'a 10 MB prompt',
        { kind: 'call', id: 16, method: 'enqueue', args: [{ sessionId: 'missing', prompt: 'x'.repeat(10_000_000) }] },
        { id: 16, code: 'BadRequest' }
      ],
      ['deep nesting', `{"kind":"call","id":17,"method":"status","args":${deep}}`, { id: 17, code: 'BadRequest' }],
      [
        'a __proto__ key',
        '{"kind":"call","id":18,"method":"createSession","args":[{"__proto__":{"title":"polluted"}}]}',
        { id: 18, code: 'BadRequest' }
      ],
      ['a __proto__ key at the top', '{"kind":"unsubscribe","__proto__":{}}', { id: null, code: 'BadRequest' }],
      ['an answer nobody asked for', { kind: 'history.answer', id: 5, messages: [] }, { id: null, code: 'BadRequest' }]
    ]
    for (const [name, frame, expected] of cases) {
      client.send(frame)
      const reply = await client.next()
      expect(reply, name).toMatchObject({ kind: 'error', id: expected.id, error: { code: expected.code } })
      expect(client.frames, name).toEqual([])
    }
    client.socket.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true })
    expect(await client.next()).toMatchObject({ kind: 'error', id: null, error: { code: 'BadRequest' } })

    expect(echo.core.broker.lastSeq).toBe(seq)
    expect(({} as Record<string, unknown>)['title']).toBeUndefined()
    // The same connection, and a new one, still work.
    expect(await client.call(20, 'status')).toMatchObject({ kind: 'result', result: { lastSeq: seq } })
    expect(await (await open()).call(1, 'status')).toMatchObject({ kind: 'result' })
  })

  it('a frame over the size limit closes only that connection; the host keeps serving', async () => {
    const client = await open()
    const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)))
    client.send('x'.repeat(wireLimits.maxFrameBytes + 1))
    expect(await closed).toBe(1009)
    expect(await (await open()).call(1, 'status')).toMatchObject({ kind: 'result' })
  })

  it('subscribe replays every retained event after since, then streams the live ones', async () => {
    const busy = (n: number) => ({ type: 'session.busy', sessionId: `s${n}`, busy: true }) as const
    for (let n = 1; n <= 5; n++) echo.core.broker.publish(busy(n))
    const client = await open()
    client.send({ kind: 'subscribe', since: 2 })
    echo.core.broker.publish(busy(6))
    const seqs: number[] = []
    for (let i = 0; i < 4; i++) {
      const frame = await client.next((f) => f.kind === 'event')
      if (frame.kind === 'event') seqs.push(frame.event.seq)
    }
    expect(seqs).toEqual([3, 4, 5, 6])
  })

})

describe('the WebSocket host: slow readers', () => {
  it('still delivers every event in order when each frame must be written before the next', async () => {
    await host.close()
    await new Promise((resolve) => server.close(resolve))
    await echo.close()
    await start(0)
    const client = await open()
    client.send({ kind: 'subscribe', since: 0 })
    await client.call(1, 'status')
    for (let n = 1; n <= 50; n++) echo.core.broker.publish({ type: 'session.busy', sessionId: `s${n}`, busy: n % 2 === 0 })
    const seqs: number[] = []
    while (seqs.length < 50) {
      const frame = await client.next((f) => f.kind === 'event')
      if (frame.kind === 'event') seqs.push(frame.event.seq)
    }
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
  })
})
