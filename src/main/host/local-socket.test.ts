import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParleyEvent } from '../../shared'
import { connectLocalSocket } from '../cli/socket-client'
import type { ParleyLink } from '../cli/parley-link'
import type { ParleyCore } from '../core/parley-core'
import { EchoModel } from '../core/service/echo-core'
import { startCoreWith } from '../core/test-fixtures/core-with-model'
import { startLocalSocketHost, type LocalSocketHost } from './local-socket'
import { localSocketPath, maxLineBytes } from './local-socket-protocol'

const unix = process.platform !== 'win32'
let core: ParleyCore | undefined
let host: LocalSocketHost | undefined
let dataDir = ''
const links: ParleyLink[] = []

afterEach(async () => {
  for (const link of links.splice(0)) await link.close()
  await host?.close()
  host = undefined
  await core?.shutdown()
  core = undefined
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

/** A core with the echo model on a fresh folder; the socket host on it unless `socket` is false. */
async function start(socket = true): Promise<{ core: ParleyCore; host: LocalSocketHost | undefined; dataDir: string }> {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-socket-'))
  core = await startCoreWith(new EchoModel(), dataDir)
  if (socket) host = await startLocalSocketHost({ service: core.service, dataDir })
  return { core, host, dataDir }
}

function hostOf(started: { host: LocalSocketHost | undefined }): LocalSocketHost {
  if (!started.host) throw new Error('no host')
  return started.host
}

async function link(path: string): Promise<ParleyLink> {
  const made = await connectLocalSocket(path)
  if (!made) throw new Error('the socket did not answer')
  links.push(made)
  return made
}

/** Sends raw bytes and collects what comes back until the host hangs up. */
function rawExchange(path: string, data: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path)
    let answer = ''
    socket.on('connect', () => socket.write(data))
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')))
    socket.on('error', reject)
    socket.on('close', () => resolve(answer))
  })
}

/** Sends raw bytes and collects what comes back until `lines` lines have come, then hangs up. */
function rawExchangeUntil(path: string, data: string, lines: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path)
    let answer = ''
    socket.on('connect', () => socket.write(data))
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8')
      if (answer.split('\n').length > lines) {
        socket.end()
        resolve(answer)
      }
    })
    socket.on('error', reject)
    socket.on('close', () => resolve(answer))
  })
}

describe('the local socket the command line uses', () => {
  it.runIf(unix)('is made with mode 0600 in the data folder, replacing a dead Parley\'s socket file', async () => {
    const started = await start(false)
    writeFileSync(localSocketPath(dataDir), 'left by a killed Parley')
    host = await startLocalSocketHost({ service: started.core.service, dataDir })
    expect(host.path).toBe(join(dataDir, 'parley.sock'))
    const stat = statSync(host.path)
    expect(stat.isSocket()).toBe(true)
    expect(stat.mode & 0o777).toBe(0o600)
  })

  it('serves the method table and the event stream as NDJSON: a run through it ends with its own RunComplete', async () => {
    const started = await start()
    const client = await link(hostOf(started).path)
    const session = await client.api.createSession({})
    const heard: ParleyEvent[] = []
    client.api.subscribe({ since: 0 }, (event) => heard.push(event))
    const complete = await client.api.run({ sessionId: session.id, runId: 'through-the-socket', prompt: 'hello' })
    expect(complete).toMatchObject({ runId: 'through-the-socket', text: 'echo: hello', cancelled: false })
    await expect.poll(() => heard.some((e) => e.type === 'run.complete' && e.complete.runId === 'through-the-socket')).toBe(true)
    await expect(client.api.cancelRun('no-such-run')).resolves.toBe(false)
    await expect(client.api.enqueue({ sessionId: 'no-such-session', prompt: 'x' })).rejects.toMatchObject({ code: 'SessionMissing' })
  })

  it('refuses a peer that does not speak the protocol, without harm: it gets one error line, nothing runs, others go on', async () => {
    const started = await start()
    const before = started.core.agent.sessions.list().length
    const http = await rawExchange(hostOf(started).path, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(JSON.parse(http.trim())).toMatchObject({ kind: 'error', id: null, error: { code: 'BadRequest' } })
    // A call without the hello first is refused the same way and never reaches the service.
    const call = JSON.stringify({ kind: 'call', id: 1, method: 'createSession', args: [{}] })
    const skipped = await rawExchange(hostOf(started).path, `${call}\n`)
    expect(JSON.parse(skipped.trim())).toMatchObject({ kind: 'error', error: { code: 'BadRequest' } })
    // A line past the limit is refused before it is buffered whole.
    const huge = await rawExchange(hostOf(started).path, Buffer.alloc(maxLineBytes + 1, 0x61))
    expect(huge).toContain('longer than')
    expect(started.core.agent.sessions.list()).toHaveLength(before)
    // After the hello, frames go through the same reader as the WebSocket's: nesting is refused before JSON.parse.
    const hello = JSON.stringify({ kind: 'hello', protocol: 'parley.v1' })
    const deep = `{"kind":"call","id":9,"method":"createSession","args":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`
    const nested = await rawExchangeUntil(hostOf(started).path, `${hello}\n${deep}\n`, 2)
    expect(JSON.parse(nested.trim().split('\n')[1] ?? '')).toMatchObject({ kind: 'error', id: 9, error: { message: expect.stringMatching(/nests deeper/) } })
    const client = await link(hostOf(started).path)
    await expect(client.api.createSession({})).resolves.toMatchObject({ title: null })
  })

  it('answers null where nothing listens, or where the peer does not say hello', async () => {
    const started = await start()
    await expect(connectLocalSocket(join(started.dataDir, 'nothing-here.sock'))).resolves.toBeNull()
    // It greets in another protocol, and reads on (so it hears the hang-up).
    const silent = createServer((socket) => {
      socket.write('SSH-2.0-not-parley\n')
      socket.resume()
    })
    const path = join(started.dataDir, unix ? 'silent.sock' : 'silent')
    const where = unix ? path : `\\\\.\\pipe\\parley-test-${process.pid}`
    await new Promise<void>((resolve) => silent.listen(where, () => resolve()))
    try {
      await expect(connectLocalSocket(where, { helloTimeoutMs: 1_000 })).resolves.toBeNull()
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  it('once it stops listening, a newcomer finds no socket, while a peer already connected is still served', async () => {
    const started = await start()
    const path = hostOf(started).path
    const client = await link(path)
    hostOf(started).stopListening()
    await expect(connectLocalSocket(path)).resolves.toBeNull()
    const session = await client.api.createSession({})
    await expect(client.api.run({ sessionId: session.id, prompt: 'still here' })).resolves.toMatchObject({ text: 'echo: still here' })
    await hostOf(started).close()
    host = undefined
    await client.lost
  })

  it('a call in flight when the host goes away fails with Disconnected, and `lost` settles', async () => {
    const started = await start()
    const client = await link(hostOf(started).path)
    const session = await client.api.createSession({})
    const waiting = client.api.run({ sessionId: session.id, prompt: 'wait forever' })
    await expect.poll(() => started.core.agent.isSessionBusy(session.id)).toBe(true)
    await hostOf(started).close()
    host = undefined
    await expect(waiting).rejects.toMatchObject({ code: 'Disconnected' })
    await client.lost
  })
})
