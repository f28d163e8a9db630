import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunComplete, Status } from '../../shared'
import { lastUserText, startScriptedServer, type ScriptedServer } from '../../../e2e/fixtures/scripted-server'
import { dataLockFileName } from '../core/data-lock'
import { createParleyCore, type ParleyCore } from '../core/parley-core'
import { MemorySecretStore } from '../core/settings/secret-store'
import { localSocketPath } from '../host/local-socket-protocol'
import { readLaunchEnvironment } from '../launch-settings'
import { CliProcesses, launchEnv, type CliResult } from './test-fixtures/cli-process'

// `parley chats`, `status` and `show` as their own processes, running Parley themselves (no app on the folder) while
// the journal holds a prompt left queued: they answer and leave, and never start it; the next real start runs it.

let server: ScriptedServer | undefined
let dataDir = ''
const cli = new CliProcesses()
const cores: ParleyCore[] = []

afterEach(async () => {
  cli.killAll()
  for (const core of cores.splice(0)) await core.shutdown()
  await server?.close()
  server = undefined
  rmSync(dataDir, { recursive: true, force: true })
})

async function openCore(url: string): Promise<ParleyCore> {
  const core = await createParleyCore({ dataDir, secrets: new MemorySecretStore(), initialSettings: readLaunchEnvironment(launchEnv(url)).initialSettings })
  cores.push(core)
  return core
}

async function closeCore(core: ParleyCore): Promise<void> {
  cores.splice(cores.indexOf(core), 1)
  await core.shutdown()
}

/** `parley --data-dir DIR …args`; resolves with its exit status and output. */
function parley(args: string[]): Promise<CliResult> {
  return cli.run(['--data-dir', dataDir, ...args], launchEnv(server?.url ?? ''))
}

/** Fails at once, naming the request, if the scripted server is asked anything while `work` runs. */
async function askingNothing<T>(work: Promise<T>): Promise<T> {
  const asked = server?.waitForRequests(1, 600_000).then((requests) => {
    throw new Error(`a request reached the provider: ${requests.map((r) => `${r.method} ${r.path}`).join(', ')}`)
  })
  asked?.catch(() => undefined)
  return Promise.race([work, ...(asked ? [asked] : [])])
}

const folderIsFree = (): boolean => !existsSync(join(dataDir, dataLockFileName)) && !existsSync(localSocketPath(dataDir))

describe('reading commands running Parley themselves', () => {
  it('G1, B5, G4: `chats`, `status` and `show` start no prompt left queued: no request reaches the provider, the prompt stays queued, and the next start runs it once', async () => {
    server = await startScriptedServer({ models: ['large'] })
    // Held for good: a command that started the prompt would wait for its answer and never leave.
    server.setDefault({ text: 'The queued answer.', gate: 'held' })
    dataDir = mkdtempSync(join(tmpdir(), 'parley-reading-'))
    // A Parley that left a prompt queued in the journal (as a command's core leaving while it waited, G1).
    const before = await openCore(server.url)
    const chat = before.agent.createSession({ title: 'Left queued' }).id
    before.agent.finishRunning()
    before.agent.enqueue({ sessionId: chat, runId: 'left', prompt: 'the prompt left queued' })
    await closeCore(before)

    const chats = await askingNothing(parley(['chats']))
    expect(chats).toMatchObject({ code: 0, stderr: '' })
    expect(chats.stdout).toMatch(new RegExp(`^${chat}\tLeft queued\t`))
    const status = await askingNothing(parley(['status', '--json']))
    expect(status).toMatchObject({ code: 0, stderr: '' })
    const queued = (JSON.parse(status.stdout) as Status).sessions.flatMap((s) => s.queue.map((q) => [q.runId, q.state]))
    expect(queued).toEqual([['left', 'queued']])
    const shown = await askingNothing(parley(['show', chat]))
    expect(shown).toMatchObject({ code: 0, stderr: '' })
    // A prompt not started is not in the chat yet (A3): the chat is its title alone.
    expect(shown.stdout).toBe('# Left queued\n')
    expect(server.requests).toEqual([])
    expect(folderIsFree()).toBe(true)

    // The next real start runs it, once, and it ends with one RunComplete.
    server.setDefault({ text: 'The queued answer.' })
    const next = await openCore(server.url)
    const completes: RunComplete[] = []
    next.broker.subscribe({ since: 0 }, (event) => {
      if (event.type === 'run.complete' && event.complete.runId === 'left') completes.push(event.complete)
    })
    expect(next.recovery.queued.map((run) => run.runId)).toEqual(['left'])
    await expect(next.service.awaitRun('left')).resolves.toMatchObject({ text: 'The queued answer.', cancelled: false })
    await next.agent.idle()
    expect(completes).toHaveLength(1)
    const asked = server.requests.filter((r) => r.path.endsWith('/chat/completions') && lastUserText(r) === 'the prompt left queued')
    expect(asked).toHaveLength(1)
  }, 120_000)
})
