import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParleyEvent } from '../../shared'
import type { ParleyCore } from '../core/parley-core'
import type { Provider, ProviderEvent, ProviderRequest } from '../core/providers/provider'
import { coreOptionsWith, startCoreWith } from '../core/test-fixtures/core-with-model'
import { dataLockFileName } from '../core/data-lock'
import { localSocketPath } from '../host/local-socket-protocol'
import { runArgs } from './test-fixtures/run-args'
import { startInProcess } from './in-process'
import type { ParleyLink } from './parley-link'
import { holderMayComeBack } from './folder-holder'
import { reachParley } from './reach-parley'
import { listChats } from './read-commands'
import { runCommand, type RunDeps } from './run-command'
import { connectLocalSocket } from './socket-client'
import { StopRequests } from './stop-requests'

/** Answers `answer to <prompt>`; a prompt starting `held` waits until `release(prompt)` (or its abort). */
class GatedModel implements Provider {
  readonly id = 'gated'
  /** The chat prompts the model was asked, in order. */
  readonly prompts: string[] = []
  /** Told each chat prompt as the model is asked it. */
  onPrompt: (prompt: string) => void = () => {}
  private readonly gates = new Map<string, () => void>()
  private readonly opened = new Set<string>()

  release(prompt: string): void {
    this.opened.add(prompt)
    this.gates.get(prompt)?.()
  }

  async *stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    if (request.model === 'title') {
      yield { type: 'text', text: 'title' }
      yield { type: 'finish', reason: 'end_turn' }
      return
    }
    const prompt = request.messages.filter((m) => m.role === 'user').at(-1)?.content ?? ''
    this.prompts.push(prompt)
    this.onPrompt(prompt)
    if (prompt.startsWith('held') && !this.opened.has(prompt)) {
      await new Promise<void>((resolve) => {
        this.gates.set(prompt, resolve)
        signal.addEventListener('abort', () => resolve(), { once: true })
      })
    }
    if (signal.aborted) throw signal.reason
    yield { type: 'text', text: `answer to ${prompt}` }
    yield { type: 'finish', reason: 'end_turn' }
  }

  async listModels(): Promise<string[]> {
    return ['chat', 'title']
  }
}

let dataDir = ''
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  rmSync(dataDir, { recursive: true, force: true })
})

function freshFolder(): string {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-in-process-'))
  return dataDir
}

async function inProcess(model: Provider, said: string[]): Promise<ParleyLink> {
  const link = await startInProcess({ ...coreOptionsWith(model, dataDir), mode: 'headless' }, { say: (line) => said.push(line) })
  cleanups.push(() => link.close(Promise.resolve()))
  return link
}

async function joinOverSocket(): Promise<ParleyLink> {
  const link = await connectLocalSocket(localSocketPath(dataDir))
  if (!link) throw new Error('the in-process core does not serve its socket')
  cleanups.push(() => link.close())
  return link
}

async function startCore(model: Provider): Promise<ParleyCore> {
  const core = await startCoreWith(model, dataDir)
  cleanups.push(() => core.shutdown())
  return core
}

const folderIsFree = (): boolean => !existsSync(join(dataDir, dataLockFileName)) && !existsSync(localSocketPath(dataDir))

/** Whether the promise has settled, after the turns and I/O in flight had a moment. */
async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  void promise.then(() => (settled = true))
  await new Promise((resolve) => setTimeout(resolve, 100))
  return settled
}

describe('a `parley run` running Parley itself leaves without cutting off others', () => {
  it('C1, B5: a run another command joined with, in another chat, finishes with its answer; then the folder is free', async () => {
    freshFolder()
    const model = new GatedModel()
    const said: string[] = []
    const link = await inProcess(model, said)
    const joined = await joinOverSocket()
    const other = await joined.api.createSession({})
    const otherAnswer = joined.api.run({ sessionId: other.id, runId: 'joined', prompt: 'held joined' })
    await expect.poll(() => model.prompts).toContain('held joined')
    const own = await link.api.createSession({})
    await expect(link.api.run({ sessionId: own.id, runId: 'own', prompt: 'quick' })).resolves.toMatchObject({ text: 'answer to quick' })

    const closed = link.close()
    expect(await settledSoon(closed)).toBe(false)
    expect(said).toEqual(['1 other answer is being written here; waiting for them before leaving the data folder (Ctrl+C leaves now)'])
    model.release('held joined')
    await expect(otherAnswer).resolves.toEqual(expect.objectContaining({ runId: 'joined', text: 'answer to held joined', cancelled: false }))
    await closed
    expect((await otherAnswer).error).toBeUndefined()
    expect(folderIsFree()).toBe(true)
  })

  it('G1: a recovered prompt it started finishes; one not started stays queued, and runs at the next start', async () => {
    freshFolder()
    // An app that quit with a turn running and two prompts queued behind it (D6 keeps them in the journal).
    const before = new GatedModel()
    const app = await startCoreWith(before, dataDir)
    const chat = app.agent.createSession({}).id
    app.agent.enqueue({ sessionId: chat, runId: 'cut', prompt: 'held cut' })
    app.agent.enqueue({ sessionId: chat, runId: 'recovered', prompt: 'held recovered' })
    app.agent.enqueue({ sessionId: chat, runId: 'behind', prompt: 'behind' })
    await expect.poll(() => before.prompts).toEqual(['held cut'])
    await app.shutdown()

    const model = new GatedModel()
    const said: string[] = []
    const link = await inProcess(model, said)
    await expect.poll(() => model.prompts).toEqual(['held recovered'])
    const own = await link.api.createSession({})
    await expect(link.api.run({ sessionId: own.id, runId: 'own', prompt: 'quick' })).resolves.toMatchObject({ text: 'answer to quick' })
    const recovered = link.api.awaitRun('recovered')
    const closed = link.close()
    expect(await settledSoon(closed)).toBe(false)
    expect(said).toHaveLength(1)
    model.release('held recovered')
    await closed
    await expect(recovered).resolves.toEqual(expect.objectContaining({ text: 'answer to held recovered', cancelled: false }))
    expect(model.prompts).toEqual(['held recovered', 'quick'])
    expect(folderIsFree()).toBe(true)

    const next = await startCore(new GatedModel())
    expect(next.recovery.queued.map((run) => run.runId)).toEqual(['behind'])
    await expect(next.service.awaitRun('behind')).resolves.toMatchObject({ text: 'answer to behind', cancelled: false })
  })

  it('D6: a stop request while it waits leaves at once; the run it waited for ends interrupted, as a quit would', async () => {
    freshFolder()
    const model = new GatedModel()
    const link = await inProcess(model, [])
    const joined = await joinOverSocket()
    const other = await joined.api.createSession({})
    await joined.api.enqueue({ sessionId: other.id, runId: 'joined', prompt: 'held forever' })
    await expect.poll(() => model.prompts).toContain('held forever')
    let leaveNow: () => void = () => {}
    const closed = link.close(new Promise<void>((resolve) => (leaveNow = resolve)))
    expect(await settledSoon(closed)).toBe(false)
    leaveNow()
    await closed
    expect(folderIsFree()).toBe(true)
    // Its command, reaching Parley again, hears that outcome by its runId (G4).
    const next = await startCore(new GatedModel())
    await expect(next.service.awaitRun('joined')).resolves.toMatchObject({ runId: 'joined', error: 'interrupted' })
  })

  it('a newcomer while it waits finds no socket, and may start Parley once the folder is free', async () => {
    freshFolder()
    const model = new GatedModel()
    const link = await inProcess(model, [])
    const joined = await joinOverSocket()
    const other = await joined.api.createSession({})
    void joined.api.enqueue({ sessionId: other.id, runId: 'joined', prompt: 'held joined' })
    await expect.poll(() => model.prompts).toContain('held joined')
    const closed = link.close()
    expect(await settledSoon(closed)).toBe(false)
    await expect(connectLocalSocket(localSocketPath(dataDir))).resolves.toBeNull()
    model.release('held joined')
    await closed
    const next = await inProcess(model, [])
    await expect(next.api.awaitRun('joined')).resolves.toMatchObject({ text: 'answer to held joined' })
  })
})

/** Resolves with the first chat prompt the model is asked. */
const firstPrompt = (model: GatedModel): Promise<string> => new Promise((resolve) => (model.onPrompt = resolve))

/** The RunCompletes a core publishes for `runId`, from its start on. */
function completesOf(core: ParleyCore, runId: string): ParleyEvent[] {
  const heard: ParleyEvent[] = []
  const unsubscribe = core.broker.subscribe({ since: 0 }, (event) => {
    if (event.type === 'run.complete' && event.complete.runId === runId) heard.push(event)
  })
  cleanups.push(async () => unsubscribe())
  return heard
}

describe('a reading command (`chats`, `status`, `show`) running Parley itself starts no turn', () => {
  it('G1, B5, G4: a prompt left queued is not started; the command answers and leaves at once; the next start runs it once, with one RunComplete', async () => {
    freshFolder()
    // An app that quit with a turn running and a prompt queued behind it (D6 keeps that one in the journal). Its
    // prompt is held: a core that started it would wait for it before leaving, and never leave here.
    const before = new GatedModel()
    const app = await startCoreWith(before, dataDir)
    const chat = app.agent.createSession({}).id
    app.agent.enqueue({ sessionId: chat, runId: 'cut', prompt: 'held cut' })
    app.agent.enqueue({ sessionId: chat, runId: 'left', prompt: 'held left' })
    await expect.poll(() => before.prompts).toEqual(['held cut'])
    await app.shutdown()

    const model = new GatedModel()
    const said: string[] = []
    const link = await startInProcess({ ...coreOptionsWith(model, dataDir), mode: 'headless' }, { say: (line) => said.push(line), readOnly: true })
    cleanups.push(() => link.close(Promise.resolve()))
    const started = firstPrompt(model).then((prompt) => `a turn started: ${prompt}`)
    expect(await listChats(link.api, false)).toContain(chat)
    const status = await link.api.status()
    expect(status.sessions.flatMap((s) => s.queue.map((q) => [q.runId, q.state]))).toEqual([['left', 'queued']])
    expect(status.sessions.some((s) => s.busy)).toBe(false)
    // It serves no socket: a `parley run` would wait the moment it takes to leave, not queue behind a core that never runs it.
    await expect(connectLocalSocket(localSocketPath(dataDir))).resolves.toBeNull()
    await expect(Promise.race([link.close().then(() => 'left the folder'), started])).resolves.toBe('left the folder')
    expect(said).toEqual([])
    expect(model.prompts).toEqual([])
    expect(folderIsFree()).toBe(true)

    // The next real start: the prompt is still queued, runs once, and ends with one RunComplete.
    const next = new GatedModel()
    next.release('held left')
    const core = await startCore(next)
    const completes = completesOf(core, 'left')
    expect(core.recovery.queued.map((run) => run.runId)).toEqual(['left'])
    await expect(core.service.awaitRun('left')).resolves.toMatchObject({ runId: 'left', text: 'answer to held left', cancelled: false })
    await core.agent.idle()
    expect(next.prompts).toEqual(['held left'])
    expect(completes).toHaveLength(1)
  })
})

describe('`parley run` commands on a folder where no app runs', () => {

  /** One command; `reach` is how it gets Parley (the core here, or the first command's socket). */
  function command(sessionId: string, prompt: string, runId: string, reach: RunDeps['reach']) {
    let out = ''
    let err = ''
    const exit = runCommand(
      runArgs(sessionId),
      prompt,
      {
        reach,
        newRunId: () => runId,
        stops: new StopRequests(),
        after: () => new Promise<void>(() => {}),
        stdout: (text) => void (out += text),
        stderr: (text) => void (err += text)
      },
      []
    )
    return { exit, stdout: () => out, stderr: () => err }
  }

  it('C1: the reference scenario: a second command queued behind the first, in its chat, ends with its own answer', async () => {
    freshFolder()
    const model = new GatedModel()
    const said: string[] = []
    const setup = await startCoreWith(model, dataDir)
    const chat = setup.agent.createSession({}).id
    await setup.shutdown()
    const first = command(chat, 'held main', 'run-main', () =>
      startInProcess({ ...coreOptionsWith(model, dataDir), mode: 'headless' }, { say: (line) => said.push(line) })
    )
    await expect.poll(() => model.prompts).toEqual(['held main'])
    const second = command(chat, 'held follow', 'run-follow', async () => {
      const link = await connectLocalSocket(localSocketPath(dataDir))
      if (!link) throw new Error('the first command does not serve its socket')
      return link
    })
    await expect.poll(() => second.stderr()).toContain('queued, 1 ahead')
    model.release('held main')
    await expect.poll(() => said).toHaveLength(1)
    expect(first.stdout()).toBe('answer to held main\n')
    expect(await settledSoon(first.exit)).toBe(false)
    model.release('held follow')
    expect(await second.exit).toBe(0)
    expect(second.stdout()).toBe('answer to held follow\n')
    expect(await first.exit).toBe(0)
    expect(folderIsFree()).toBe(true)
  })

  /**
   * How main.ts reaches Parley (its socket, else the core here), except that an app that dropped is waited for without
   * end: only a Parley that never comes back (another command's core) may be taken over. `told` hears the waits.
   */
  function reachAsMainDoes(model: Provider, told: (line: string) => void): RunDeps['reach'] {
    return (givingUp, waitForApp) =>
      reachParley({
        appOnlyUntil: waitForApp ? new Promise<never>(() => {}) : null,
        connect: () => connectLocalSocket(localSocketPath(dataDir), { mayComeBack: () => holderMayComeBack(dataDir) }),
        startInProcess: () => startInProcess({ ...coreOptionsWith(model, dataDir), mode: 'headless' }, { say: told }),
        givingUp,
        onWait: told,
        retryMs: 20
      })
  }

  it('C1, G1, G4: a command queued in another command\'s core takes the folder over once that core has gone, not after PARLEY_TAKEOVER_SECONDS; its prompt runs once', async () => {
    freshFolder()
    const model = new GatedModel()
    const setup = await startCoreWith(model, dataDir)
    const own = setup.agent.createSession({}).id
    const shared = setup.agent.createSession({}).id
    await setup.shutdown()
    const said: string[] = []
    const first = command(own, 'held main', 'run-main', () =>
      startInProcess({ ...coreOptionsWith(model, dataDir), mode: 'headless' }, { say: (line) => said.push(line) })
    )
    await expect.poll(() => model.prompts).toEqual(['held main'])
    // Another command's answer runs in the first command's core, and the second command queues behind it.
    const joined = await joinOverSocket()
    const joinedAnswer = joined.api.run({ sessionId: shared, runId: 'joined', prompt: 'held joined' })
    await expect.poll(() => model.prompts).toContain('held joined')
    let waitedForApp: (line: string) => void = () => {}
    const waitingForApp = new Promise<string>((resolve) => (waitedForApp = resolve))
    const second = command(
      shared,
      'follow',
      'run-follow',
      reachAsMainDoes(model, (line) => {
        if (line.includes('come back')) waitedForApp(line)
      })
    )
    await expect.poll(() => second.stderr()).toContain('queued, 1 ahead')
    let firstLeft = false
    void first.exit.then(() => (firstLeft = true))
    let firstLeftWhenFollowRan: boolean | undefined
    model.onPrompt = (prompt) => {
      if (prompt === 'follow') firstLeftWhenFollowRan = firstLeft
    }

    // The first command's own run ends; it waits for the joined answer, starts nothing else, and leaves.
    model.release('held main')
    await expect.poll(() => said).toHaveLength(1)
    model.release('held joined')
    await expect(joinedAnswer).resolves.toMatchObject({ runId: 'joined', text: 'answer to held joined', cancelled: false })
    await expect(Promise.race([second.exit, waitingForApp])).resolves.toBe(0)
    expect(second.stdout()).toBe('answer to follow\n')
    expect(await first.exit).toBe(0)
    expect(first.stdout()).toBe('answer to held main\n')
    // One core at a time: the prompt ran only once the first command had let go of the folder, and only once.
    expect(firstLeftWhenFollowRan).toBe(true)
    expect(model.prompts).toEqual(['held main', 'held joined', 'follow'])
    expect(folderIsFree()).toBe(true)
  })
})
