import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParleyEvent, QueuedPrompt } from '../../shared'
import { startScriptedServer, type ScriptedServer } from '../../../e2e/fixtures/scripted-server'
import { createParleyCore, type ParleyCore } from '../core/parley-core'
import { MemorySecretStore } from '../core/settings/secret-store'
import { startLocalSocketHost, type LocalSocketHost } from '../host/local-socket'
import { readLaunchEnvironment } from '../launch-settings'
import { FailFast, unreachableNow } from './fail-fast'
import { CliProcesses, launchEnv, type CliResult } from './test-fixtures/cli-process'

const stamp = { seq: 1, at: 0 }
const queued = (runId: string, state: QueuedPrompt['state']): QueuedPrompt => ({ runId, prompt: 'p', state, enqueuedAt: 0 })
const queueChanged = (queue: QueuedPrompt[]): ParleyEvent => ({ type: 'queue.changed', sessionId: 's', queue, ...stamp }) as ParleyEvent
const providerStatus = (reachable: boolean, state?: 'unreachable' | 'loading'): ParleyEvent =>
  ({ type: 'provider.status', providerId: 'p', reachable, ...(state ? { state, detail: `Server is ${state}.` } : {}), ...stamp }) as ParleyEvent

/** What `unreachable` settled with by now, or null. */
async function firedWith(watch: FailFast): Promise<string | null> {
  return Promise.race([watch.unreachable, new Promise<null>((resolve) => setTimeout(() => resolve(null), 10))])
}

describe('--fail-fast: when a run waits for a server that can\'t be reached', () => {
  it('C3: fires once the run is in its queue and its own provider can\'t be reached, whichever is said first', async () => {
    const afterDown = new FailFast('r', 's', 'p', null)
    afterDown.accepted({ state: 'active' } as never)
    afterDown.take({ type: 'run.started', runId: 'r', sessionId: 's', ...stamp } as ParleyEvent)
    afterDown.take(providerStatus(false, 'unreachable'))
    expect(await firedWith(afterDown)).toBeNull()
    afterDown.take(queueChanged([queued('r', 'waiting')]))
    expect(await firedWith(afterDown)).toBe('Server is unreachable.')

    const knownDown = new FailFast('r', 's', 'p', "Parley couldn't reach the model server at http://x/v1.")
    knownDown.accepted({ state: 'waiting' } as never)
    expect(await firedWith(knownDown)).toBe("Parley couldn't reach the model server at http://x/v1.")
  })

  it('C6: never for a server loading its model, another provider, or a run answering; it answers again, nothing fires', async () => {
    const watch = new FailFast('r', 's', 'p', null)
    watch.accepted({ state: 'queued', position: 1 } as never)
    watch.take(providerStatus(false, 'loading'))
    watch.take({ ...providerStatus(false, 'unreachable'), providerId: 'other' } as ParleyEvent)
    expect(await firedWith(watch)).toBeNull()
    watch.take(providerStatus(false, 'unreachable'))
    watch.take(providerStatus(true))
    const answering = new FailFast('r', 's', 'p', null)
    answering.accepted({ state: 'active' } as never)
    answering.take(providerStatus(false, 'unreachable'))
    answering.take(queueChanged([queued('someone-else', 'waiting')]))
    expect(await firedWith(answering)).toBeNull()
  })

  it('says which server, from main\'s status, only when it can\'t be reached', () => {
    const settings = { providers: [{ id: 'p', kind: 'openai' as const, name: 'P', baseUrl: 'http://127.0.0.1:9/v1' }] }
    expect(unreachableNow({ providerId: 'p', reachable: false, state: 'unreachable' }, settings)).toBe("Parley couldn't reach the model server at http://127.0.0.1:9/v1.")
    expect(unreachableNow({ providerId: 'p', reachable: false, state: 'loading' }, settings)).toBeNull()
    expect(unreachableNow({ providerId: 'p', reachable: null }, settings)).toBeNull()
    expect(unreachableNow(undefined, settings)).toBeNull()
  })
})

// As a script runs it: a real process, a model server that is not there (nothing listens on port 9).
const downUrl = 'http://127.0.0.1:9/v1'
let dataDir = ''
const cli = new CliProcesses()
let app: { core: ParleyCore; host: LocalSocketHost } | undefined
let server: ScriptedServer | undefined

afterEach(async () => {
  cli.killAll()
  await app?.host.close()
  await app?.core.shutdown()
  app = undefined
  await server?.close()
  server = undefined
  if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true })
  dataDir = ''
})

/** `parley --data-dir DIR …args`, and how long it ran. */
async function parley(args: string[], url = downUrl): Promise<CliResult & { ms: number }> {
  const started = Date.now()
  const result = await cli.run(['--data-dir', dataDir, ...args], launchEnv(url))
  return { ...result, ms: Date.now() - started }
}

async function openApp(url = downUrl): Promise<ParleyCore> {
  const env = launchEnv(url)
  const core = await createParleyCore({ dataDir, secrets: new MemorySecretStore(), initialSettings: readLaunchEnvironment(env).initialSettings })
  app = { core, host: await startLocalSocketHost({ service: core.service, dataDir }) }
  return core
}

describe('`parley run --fail-fast` with a model server that can\'t be reached', () => {
  it('C3, D2: running Parley itself, it exits 69 at once with a sentence; the prompt it had sent is cancelled and never runs at the next start', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-failfast-'))
    const result = await parley(['run', '--fail-fast', '--timeout', '60', 'hello?'])
    expect(result.code).toBe(69)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      `parley: Parley couldn't reach the model server at ${downUrl} (the connection failed). Check that it is running and the address is right. ` +
        'The prompt had been accepted, and is cancelled: it will not run later (--fail-fast).\n'
    )
    expect(result.ms).toBeLessThan(30_000)
    // The next start finds nothing queued: the cancel was durable before the command left.
    const core = await openApp()
    expect(core.recovery.queued).toEqual([])
    expect((await core.service.status()).sessions).toEqual([])
  }, 120_000)

  it('C3: through the app that knows its server is down, it looks again, then exits 69 without sending the prompt or making a chat', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-failfast-'))
    const core = await openApp()
    await knownDown(core)
    const result = await parley(['run', '--fail-fast', 'hello?'])
    expect(result).toMatchObject({
      code: 69,
      stdout: '',
      stderr: `parley: Parley couldn't reach the model server at ${downUrl} (the connection failed). Check that it is running and the address is right. The prompt was not sent (--fail-fast).\n`
    })
    expect(core.agent.sessions.list().map((s) => s.id)).toEqual([windowChat])
    expect((await core.service.status()).sessions.flatMap((s) => s.queue.map((q) => q.runId))).toEqual(['window'])
    // Without --fail-fast it waits for the server, as before (C3), until --timeout.
    const waiting = await parley(['run', '--timeout', '2', 'hello?'])
    expect(waiting.code).toBe(124)
    expect(waiting.stderr).toContain('waiting for the model server.')
  }, 120_000)

  it('C3: a server the app knew down that is back (the script just started it) is asked at once, not refused until main\'s next probe', async () => {
    // A port with nothing on it, where the server starts later.
    const probe = await startScriptedServer({ models: ['large'] })
    const port = probe.port
    await probe.close()
    dataDir = mkdtempSync(join(tmpdir(), 'parley-failfast-'))
    const core = await openApp(`http://127.0.0.1:${port}/v1`)
    await knownDown(core)
    server = await startScriptedServer({ port, models: ['large'], defaultReply: { text: 'Back again.' } })
    const result = await parley(['run', '--fail-fast', '--quiet', 'hello?'], `http://127.0.0.1:${port}/v1`)
    expect(result).toMatchObject({ code: 0, stdout: 'Back again.\n' })
  }, 120_000)
})

let windowChat = ''

/** A prompt from the window waits for the server (C3), so main knows it is down (and probes it with backoff). */
async function knownDown(core: ParleyCore): Promise<void> {
  windowChat = core.agent.createSession({}).id
  core.agent.enqueue({ sessionId: windowChat, runId: 'window', prompt: 'from the window' })
  for (let i = 0; i < 200 && (await core.service.status()).providers.every((p) => p.reachable !== false); i++) await new Promise((r) => setTimeout(r, 50))
  expect((await core.service.status()).providers[0]).toMatchObject({ reachable: false, state: 'unreachable' })
}
