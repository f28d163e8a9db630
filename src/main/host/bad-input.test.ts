import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket, type ClientOptions } from 'ws'
import {
  bridgeProtocol,
  bridgeProtocols,
  serverFrameSchema,
  settingsSchema,
  statusSchema,
  type ParleyEvent,
  type ServerFrame,
  type Status
} from '../../shared'
import { lastUserText, startScriptedServer, type ScriptedServer } from '../../../e2e/fixtures/scripted-server'
import { createParleyCore, type ParleyCore } from '../core/parley-core'
import { MemorySecretStore } from '../core/settings/secret-store'
import { startBrowserHost, type BrowserHost } from './browser-host'
import { malformedFrames, missingSessionId } from './test-fixtures/malformed-frames'

// Bad input against the real browser-mode host: a real core (agent, journal, session file) on a temporary folder,
// a scripted model server, and a real WebSocket with the right token. Issue "Offline sessions and durability".

const TOKEN = 'bad-input-test-token-0123456789'
/** The seed of the 2,400 messages: fixed, so a failure names a message that comes back on every run. */
const SEED = 20_240_601
const MESSAGES = 2_400
/** A valid call goes between every this many bad ones, to show the host still serves. */
const PROBE_EVERY = 100

let server: ScriptedServer
let core: ParleyCore
let host: BrowserHost
let dataDir: string
let rendererDir: string
const sockets: WebSocket[] = []

beforeEach(async () => {
  server = await startScriptedServer()
  // The title model answers at once; `hold` waits at a gate, so a run stays active with prompts queued behind it.
  server.setDefault((request) => {
    if ((request.body as { model?: string } | undefined)?.model === 'small') return { text: 'A title' }
    const prompt = lastUserText(request)
    return prompt === 'hold' ? { text: 'held answer', gate: 'hold' } : { text: `answer to ${prompt}` }
  })
  dataDir = mkdtempSync(join(tmpdir(), 'parley-bad-input-'))
  rendererDir = mkdtempSync(join(tmpdir(), 'parley-bad-input-renderer-'))
  writeFileSync(join(rendererDir, 'index.html'), '<h1>Parley</h1>')
  core = await createParleyCore({
    dataDir,
    secrets: new MemorySecretStore(),
    initialSettings: settingsSchema.parse({
      providers: [{ id: 'scripted', kind: 'openai', name: 'Scripted', baseUrl: server.url }],
      models: { large: { providerId: 'scripted', model: 'large' }, small: { providerId: 'scripted', model: 'small' } }
    })
  })
  host = await startBrowserHost({ service: core.service, rendererDir, token: TOKEN })
})

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate()
  await host.close()
  await core.shutdown()
  await server.close()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(rendererDir, { recursive: true, force: true })
})

/** A raw client: sends exactly the bytes it is given and keeps every frame main sends, checked against the protocol. */
class RawClient {
  private readonly frames: ServerFrame[] = []
  /** Frames from main that are not valid protocol frames: there must never be any. */
  readonly unreadable: string[] = []
  private wake: (() => void) | undefined
  readonly closed: Promise<number>

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const text = String(data)
      let parsed: ReturnType<typeof serverFrameSchema.safeParse> | undefined
      try {
        parsed = isBinary ? undefined : serverFrameSchema.safeParse(JSON.parse(text))
      } catch {
        parsed = undefined
      }
      if (parsed?.success) this.frames.push(parsed.data)
      else this.unreadable.push(text.slice(0, 500))
      this.wake?.()
    })
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)))
  }

  send(data: string | Buffer | object): void {
    if (Buffer.isBuffer(data)) this.socket.send(data, { binary: true })
    else this.socket.send(typeof data === 'string' ? data : JSON.stringify(data))
  }

  get waiting(): number {
    return this.frames.length
  }

  /** The next frame main sent, in order; fails after `ms`. */
  async next(ms = 5_000): Promise<ServerFrame> {
    const deadline = Date.now() + ms
    for (;;) {
      const frame = this.frames.shift()
      if (frame) return frame
      if (this.unreadable.length > 0) throw new Error(`main sent a frame that is not in the protocol: ${this.unreadable[0]}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no frame from main within ${ms} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wake = undefined
    }
  }

  async call(id: number, method: string, ...args: unknown[]): Promise<ServerFrame> {
    this.send({ kind: 'call', id, method, args })
    return this.next()
  }
}

type Attempt = { open: true; client: RawClient } | { open: false; status: number }

function connect(options: { protocols?: string[]; origin?: string } = {}): Promise<Attempt> {
  const init: ClientOptions = options.origin === undefined ? {} : { origin: options.origin }
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/parley`, options.protocols ?? bridgeProtocols(TOKEN), init)
  sockets.push(socket)
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ open: true, client: new RawClient(socket) }))
    socket.once('unexpected-response', (_, response) => resolve({ open: false, status: response.statusCode ?? 0 }))
    socket.once('error', reject)
  })
}

async function open(origin?: string): Promise<RawClient> {
  const attempt = await connect(origin === undefined ? {} : { origin })
  if (!attempt.open) throw new Error(`refused with ${attempt.status}`)
  return attempt.client
}

async function resultOf(client: RawClient, id: number, method: string, ...args: unknown[]): Promise<unknown> {
  const frame = await client.call(id, method, ...args)
  if (frame.kind !== 'result' || frame.id !== id) throw new Error(`${method} failed: ${JSON.stringify(frame)}`)
  return frame.result
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Everything a bad message could change, read from the wire, the core and the data folder. */
interface Snapshot {
  status: Status
  lastSeq: number
  sessions: unknown
  settings: unknown
  sessionsFile: string
  journal: string
  modelRequests: number
  heldGates: string[]
  prototypeKeys: string[]
}

async function snapshot(client: RawClient, id: number): Promise<Snapshot> {
  // The chat list is written at most once a second (issue 13): the file is compared once it has every change.
  await core.sessionList.saved()
  return {
    status: statusSchema.parse(await resultOf(client, id, 'status')),
    lastSeq: core.broker.lastSeq,
    sessions: core.agent.sessions.list(),
    settings: await resultOf(client, id + 1, 'getSettings'),
    sessionsFile: readFileSync(join(dataDir, 'sessions.json'), 'utf8'),
    journal: readFileSync(join(dataDir, 'journal.jsonl'), 'utf8'),
    // The completion requests: a request held past 1.5 s also has main ask the server whether it is loading the model
    // into memory (C6: GET /api/ps, /api/v0/models/<id>), which is main's own question, not the bad input's doing.
    modelRequests: server.requests.filter((request) => request.method === 'POST').length,
    heldGates: server.heldGates(),
    prototypeKeys: Object.getOwnPropertyNames(Object.prototype).sort()
  }
}

/**
 * Builds state worth protecting: one chat with a finished turn, and one with an answer held at a gate and two
 * prompts queued behind it. Resolves once nothing more is in motion (the held run waiting; the busy chat gets no
 * title until its answers are done, rule E2).
 */
async function busyState(client: RawClient): Promise<{ busyId: string }> {
  const idle = (await resultOf(client, 1, 'createSession', { title: 'Idle chat' })) as { id: string }
  await resultOf(client, 2, 'run', { sessionId: idle.id, runId: 'idle-1', prompt: 'hello' })
  const busy = (await resultOf(client, 3, 'createSession', {})) as { id: string }
  const held = await resultOf(client, 4, 'enqueue', { sessionId: busy.id, runId: 'held', prompt: 'hold' })
  expect(held).toMatchObject({ state: 'active' })
  await server.waitForGate('hold', 5_000)
  for (const [id, runId] of [[5, 'queued-1'], [6, 'queued-2']] as const) {
    const queued = await resultOf(client, id, 'enqueue', { sessionId: busy.id, runId, prompt: runId })
    expect(queued).toMatchObject({ state: 'queued' })
  }
  await until(() => core.agent.sessions.get(idle.id)?.title !== null, 'the idle chat has its title')
  expect(core.agent.sessions.get(busy.id)?.title).toBeNull()
  // Wait until no event has been published for a quarter of a second.
  let seen = core.broker.lastSeq
  let quietSince = Date.now()
  await until(() => {
    if (core.broker.lastSeq !== seen) [seen, quietSince] = [core.broker.lastSeq, Date.now()]
    return Date.now() - quietSince >= 250
  }, 'the core is quiet')
  return { busyId: busy.id }
}

describe('bad input at the browser-mode host', () => {
  it(`answers ${MESSAGES} malformed bridge messages each with one typed error, keeps serving, and changes nothing`, async () => {
    const frames = malformedFrames(SEED, MESSAGES)
    expect(frames).toHaveLength(MESSAGES)

    const setup = await open()
    const { busyId } = await busyState(setup)
    const before = await snapshot(setup, 10)
    const queue = [expect.objectContaining({ runId: 'queued-1' }), expect.objectContaining({ runId: 'queued-2' })]
    expect(before.status.sessions).toEqual([expect.objectContaining({ sessionId: busyId, busy: true, activeRunId: 'held', queue })])
    const events: ParleyEvent[] = []
    const stopListening = core.broker.subscribe({ since: core.broker.lastSeq }, (event) => void events.push(event))

    // The barrage goes over a connection that is also subscribed: any event would arrive here as an extra frame and
    // break the one-message-one-reply count below.
    const client = await open(host.origin)
    client.send({ kind: 'subscribe', since: before.lastSeq })
    for (const [index, frame] of frames.entries()) {
      client.send(frame.data)
      const reply = await client.next()
      const where = `message ${index} (${frame.label})`
      expect(reply, where).toMatchObject({ kind: 'error', id: frame.expected.id, error: { code: frame.expected.code } })
      // A typed error says what was wrong in a sentence; it never echoes a 10 MB payload back.
      if (reply.kind === 'error') {
        expect(reply.error.message.length, where).toBeGreaterThan(10)
        expect(reply.error.message.length, where).toBeLessThan(1_000)
      }
      if ((index + 1) % PROBE_EVERY === 0) {
        // A valid call still works, on the same connection, reusing an id the bad messages used too.
        const probe = await client.call(7, 'status')
        expect(probe, `status after ${where}`).toEqual({ kind: 'result', id: 7, result: before.status })
      }
    }
    expect(client.waiting).toBe(0)
    expect(client.unreadable).toEqual([])

    // Nothing changed: no event, no session, no queue, no settings, no model call, nothing on disk, no prototype.
    expect(events).toEqual([])
    stopListening()
    expect(await snapshot(client, 1)).toEqual(before)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(core.agent.sessions.has(missingSessionId)).toBe(false)

    // And the host still does its work: a new connection is served, and the held answer and its queue finish in
    // order, each queued prompt as its own turn.
    const after = await open()
    const completes = new Map<string, ParleyEvent>()
    const stop = core.broker.subscribe({ since: core.broker.lastSeq }, (event) => {
      if (event.type === 'run.complete') completes.set(event.complete.runId, event)
    })
    server.release('hold')
    await until(() => completes.size === 3, 'the held run and both queued runs complete')
    stop()
    expect([...completes.keys()]).toEqual(['held', 'queued-1', 'queued-2'])
    const chats = server.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === 'large')
    expect(chats.map(lastUserText)).toEqual(['hello', 'hold', 'queued-1', 'queued-2'])
    expect(await resultOf(after, 1, 'status')).toMatchObject({ sessions: [] })
  }, 60_000)

  it('refuses a wrong or missing token and a foreign Origin at the upgrade, before any message is read', async () => {
    const seq = core.broker.lastSeq
    const origin = host.origin
    const wrong = [
      { protocols: [bridgeProtocol] },
      { protocols: bridgeProtocols('x'.repeat(TOKEN.length)) },
      { protocols: bridgeProtocols(`${TOKEN}x`) },
      { protocols: bridgeProtocols(TOKEN.slice(0, -1)) },
      { protocols: bridgeProtocols(TOKEN.toUpperCase()) },
      { protocols: bridgeProtocols('wrong-token-0123456789'), origin }
    ]
    for (const options of wrong) expect(await connect(options), JSON.stringify(options)).toEqual({ open: false, status: 401 })
    const foreign = [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${host.port + 1}`,
      `https://127.0.0.1:${host.port}`,
      `http://127.0.0.1.evil.example:${host.port}`
    ]
    for (const bad of foreign) expect(await connect({ origin: bad }), bad).toEqual({ open: false, status: 403 })

    // The right token from the page's own origin gets in, and finds nothing changed.
    const client = await open(origin)
    expect(await resultOf(client, 1, 'status')).toMatchObject({ lastSeq: seq, sessions: [] })
    expect(core.broker.lastSeq).toBe(seq)
  })

  it('a text frame that is not UTF-8 closes only that connection (1007); the host keeps serving', async () => {
    const client = await open()
    await resultOf(client, 1, 'createSession', {})
    const seq = core.broker.lastSeq
    // RFC 6455 makes invalid UTF-8 in a text frame fatal to the connection, so this can't be a typed error.
    client.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false })
    expect(await client.closed).toBe(1007)
    const next = await open()
    expect(await resultOf(next, 1, 'status')).toMatchObject({ lastSeq: seq })
  })
})
