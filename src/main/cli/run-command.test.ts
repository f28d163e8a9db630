import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { uploadPartBytes, type FileToUpload } from '../../shared'
import type { ParleyCore } from '../core/parley-core'
import type { Provider, ProviderEvent, ProviderRequest } from '../core/providers/provider'
import { startCoreWith } from '../core/test-fixtures/core-with-model'
import { startLocalSocketHost, type LocalSocketHost } from '../host/local-socket'
import { readAttachFiles } from './attach-files'
import type { RunArgs } from './cli-args'
import { runArgs } from './test-fixtures/run-args'
import type { ParleyLink } from './parley-link'
import { runCommand, type RunDeps } from './run-command'
import { StopRequests, type StopReason } from './stop-requests'
import { connectLocalSocket } from './socket-client'
import { ReachTimeout } from './reach-parley'

/**
 * Answers `answer to <prompt>`; the prompt `held` waits at a gate first, until `release()`, and `half` streams "half an
 * answer" before it waits there.
 */
class GatedModel implements Provider {
  readonly id = 'gated'
  readonly prompts: string[] = []
  /** The names of the files each chat request's last user message carried. */
  readonly attached: string[][] = []
  entered: Promise<void>
  private enter: () => void = () => {}
  private open: () => void = () => {}
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve))

  constructor() {
    this.entered = new Promise((resolve) => (this.enter = resolve))
  }

  release(): void {
    this.open()
  }

  async *stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    if (request.model === 'title') {
      yield { type: 'text', text: 'title' }
      yield { type: 'finish', reason: 'end_turn' }
      return
    }
    const last = request.messages.filter((m) => m.role === 'user').at(-1)
    const prompt = last?.content ?? ''
    this.prompts.push(prompt)
    this.attached.push((last?.attachments ?? []).map((a) => (a.kind === 'text' ? `${a.ref.name}: ${a.text}` : a.ref.name)))
    if (prompt === 'half') yield { type: 'text', text: 'half an answer' }
    if (prompt === 'held' || prompt === 'half') {
      this.enter()
      await Promise.race([this.gate, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))])
    }
    yield { type: 'text', text: `answer to ${prompt}` }
    yield { type: 'finish', reason: 'end_turn' }
  }

  async listModels(): Promise<string[]> {
    return ['chat', 'title']
  }
}

let core: ParleyCore | undefined
let host: LocalSocketHost | undefined
let dataDir = ''
afterEach(async () => {
  await host?.close()
  host = undefined
  await core?.shutdown()
  core = undefined
  rmSync(dataDir, { recursive: true, force: true })
})

async function startApp(model: Provider): Promise<{ core: ParleyCore; sessionId: string }> {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-run-'))
  core = await startCoreWith(model, dataDir)
  host = await startLocalSocketHost({ service: core.service, dataDir })
  return { core, sessionId: core.agent.createSession({}).id }
}


interface Command {
  exit: Promise<number>
  stdout(): string
  stderr(): string
  interrupt(): void
  stop(reason: StopReason): void
  timeOut(): void
}

/** The link with every API method it is asked for written down in `asked`. */
function recording(link: ParleyLink, asked: string[]): ParleyLink {
  const api = new Proxy(link.api, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver)
      if (typeof name !== 'string' || typeof value !== 'function') return value
      return (...args: unknown[]) => {
        asked.push(name)
        return Reflect.apply(value, target, args)
      }
    }
  })
  return { via: link.via, api, lost: link.lost, mayComeBack: link.mayComeBack, close: (leaveNow) => link.close(leaveNow) }
}

/**
 * One `parley run`, reaching the app's socket (waiting for it to come back after a drop). `asked`, when given, hears
 * the name of each API method the command calls.
 */
function command(args: RunArgs, prompt: string, runId: string, files: FileToUpload[] = [], asked?: string[]): Command {
  let out = ''
  let err = ''
  const stops = new StopRequests()
  let timeOut: () => void = () => {}
  const deps: RunDeps = {
    async reach(givingUp) {
      let gaveUp = false
      void givingUp.then(() => (gaveUp = true))
      for (;;) {
        const link: ParleyLink | null = host ? await connectLocalSocket(host.path) : null
        if (link) return asked ? recording(link, asked) : link
        await new Promise((resolve) => setTimeout(resolve, 20))
        if (gaveUp) throw new ReachTimeout('gave up')
      }
    },
    newRunId: () => runId,
    stops,
    after: () => new Promise((resolve) => (timeOut = resolve)),
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text)
  }
  return {
    exit: runCommand(args, prompt, deps, files),
    stdout: () => out,
    stderr: () => err,
    interrupt: () => stops.request('interrupt'),
    stop: (reason) => stops.request(reason),
    timeOut: () => timeOut()
  }
}

describe('parley run', () => {
  it('the reference scenario, one level up: two commands on one chat, the first held; each ends with its own answer', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const first = command(runArgs(app.sessionId), 'held', 'run-main')
    await model.entered
    // The second prints its RunComplete: the one it ended with must be its own, not the first's that came before.
    const second = command(runArgs(app.sessionId, { output: 'json' }), 'follow', 'run-follow')
    await expect.poll(() => second.stderr()).toContain('queued, 1 ahead')
    model.release()
    expect(await first.exit).toBe(0)
    expect(await second.exit).toBe(0)
    expect(first.stdout()).toBe('answer to held\n')
    expect(JSON.parse(second.stdout())).toMatchObject({ runId: 'run-follow', text: 'answer to follow', cancelled: false })
    expect(model.prompts).toEqual(['held', 'follow'])
  })

  it('Ctrl+C on a queued run cancels it: exit 130, and its prompt never reaches the model', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const first = command(runArgs(app.sessionId), 'held', 'run-main')
    await model.entered
    const queued = command(runArgs(app.sessionId), 'never sent', 'run-queued')
    await expect.poll(() => queued.stderr()).toContain('queued')
    queued.interrupt()
    expect(await queued.exit).toBe(130)
    expect((await app.core.service.status()).sessions.flatMap((s) => s.queue)).toEqual([])
    model.release()
    expect(await first.exit).toBe(0)
    expect(model.prompts).toEqual(['held'])
  })

  it('a reader that closed stdout (EPIPE) does not cancel the run: exit 141 at once, quietly, and the app finishes the answer', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const piped = command(runArgs(app.sessionId), 'held', 'run-piped')
    await model.entered
    piped.stop('output-closed')
    expect(await piped.exit).toBe(141)
    expect(piped.stderr()).toBe('')
    // `| head -c 5` had what it wanted; the answer is still written whole in the chat (nobody asked to stop it).
    model.release()
    await expect(app.core.service.awaitRun('run-piped')).resolves.toMatchObject({ cancelled: false, text: 'answer to held' })
    expect(piped.stdout()).toBe('')
  })

  it('D1: Ctrl+C mid-answer keeps what streamed on stdout and ends its line (the shell prompt starts on its own line)', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const stopped = command(runArgs(app.sessionId), 'half', 'run-half')
    await model.entered
    await expect.poll(() => stopped.stdout()).toBe('half an answer')
    stopped.interrupt()
    expect(await stopped.exit).toBe(130)
    expect(stopped.stdout()).toBe('half an answer\n')
    await expect(app.core.service.awaitRun('run-half')).resolves.toMatchObject({ cancelled: true })
  })

  it('--session with an id that is no chat: the error says so as `parley show` does, and where to look', async () => {
    const model = new GatedModel()
    await startApp(model)
    const lost = command(runArgs('no-such-chat'), 'hello', 'run-nowhere')
    await expect(lost.exit).rejects.toThrow('There is no chat with the id no-such-chat: `parley chats` lists them.')
    expect(model.prompts).toEqual([])
  })

  it('a chat deleted while its runs wait or run: each command says so in plain words, exit 1', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const running = command(runArgs(app.sessionId), 'held', 'run-a')
    await model.entered
    const queued = command(runArgs(app.sessionId), 'queued one', 'run-b')
    await expect.poll(() => queued.stderr()).toContain('queued')
    await app.core.service.deleteSession(app.sessionId)
    expect(await running.exit).toBe(1)
    expect(await queued.exit).toBe(1)
    for (const gone of [running, queued]) expect(gone.stderr()).toContain('parley: The chat was deleted (in the app or by another command), so the run was cancelled.\n')
    expect(model.prompts).toEqual(['held'])
  })

  it('D1: SIGTERM cancels the run as Ctrl+C does: exit 143, the run cancelled (not left interrupted)', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const terminated = command(runArgs(app.sessionId), 'held', 'run-terminated')
    await model.entered
    terminated.stop('terminate')
    expect(await terminated.exit).toBe(143)
    const complete = await app.core.service.awaitRun('run-terminated')
    expect(complete).toMatchObject({ cancelled: true })
    expect(complete.error).toBeUndefined()
  })

  it('--timeout cancels the run and exits 124; --json prints the RunComplete', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const held = command(runArgs(app.sessionId, { output: 'json' }), 'held', 'run-held')
    await model.entered
    held.timeOut()
    expect(await held.exit).toBe(124)
    expect(held.stderr()).toContain('--timeout')
    await expect(app.core.service.awaitRun('run-held')).resolves.toMatchObject({ cancelled: true })
    const json = command(runArgs(app.sessionId, { output: 'json' }), 'quick', 'run-json')
    expect(await json.exit).toBe(0)
    expect(JSON.parse(json.stdout())).toMatchObject({ runId: 'run-json', text: 'answer to quick', cancelled: false })
  })

  it('the app goes away while the run waits: it reaches it again and still ends with its own RunComplete (G4)', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const first = command(runArgs(app.sessionId), 'held', 'run-main')
    await model.entered
    const waiting = command(runArgs(app.sessionId, { output: 'quiet' }), 'after the drop', 'run-waiting')
    await expect.poll(async () => (await app.core.service.status()).sessions.flatMap((s) => s.queue).length).toBe(1)
    // The socket goes (the app is restarting); the run ends while no one is connected; the socket comes back.
    await host?.close()
    host = undefined
    model.release()
    await app.core.service.awaitRun('run-waiting')
    host = await startLocalSocketHost({ service: app.core.service, dataDir })
    expect(await waiting.exit).toBe(0)
    expect(waiting.stdout()).toBe('answer to after the drop\n')
    expect(await first.exit).toBe(0)
  })

  it('D2: a Ctrl+C made while the app was away is sent again once it is back: the queued run never runs', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const first = command(runArgs(app.sessionId), 'held', 'run-main')
    await model.entered
    const queued = command(runArgs(app.sessionId), 'never sent', 'run-queued')
    await expect.poll(async () => (await app.core.service.status()).sessions.flatMap((s) => s.queue).length).toBe(1)
    // The app goes (crashed, restarting) with the run in its queue; Ctrl+C comes while it is away.
    await host?.close()
    host = undefined
    await expect.poll(() => queued.stderr()).toContain('lost the connection')
    queued.interrupt()
    // The app comes back a while later (as a restarted main does).
    await new Promise((resolve) => setTimeout(resolve, 100))
    host = await startLocalSocketHost({ service: app.core.service, dataDir })
    expect(await queued.exit).toBe(130)
    // Cancelled before the command said so: not left in the queue to run once the first answer ends.
    expect((await app.core.service.status()).sessions.flatMap((s) => s.queue)).toEqual([])
    expect(queued.stderr()).toContain('waiting for it to cancel the run')
    model.release()
    expect(await first.exit).toBe(0)
    expect(model.prompts).toEqual(['held'])
  })

  it('D2: a Ctrl+C whose Parley never comes back gives up after the next Ctrl+C, saying the run may still run', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const first = command(runArgs(app.sessionId), 'held', 'run-main')
    await model.entered
    const queued = command(runArgs(app.sessionId), 'left behind', 'run-left')
    await expect.poll(async () => (await app.core.service.status()).sessions.flatMap((s) => s.queue).length).toBe(1)
    await host?.close()
    host = undefined
    await expect.poll(() => queued.stderr()).toContain('lost the connection')
    queued.interrupt()
    await expect.poll(() => queued.stderr()).toContain('waiting for it to cancel the run')
    queued.interrupt()
    expect(await queued.exit).toBe(130)
    expect(queued.stderr()).toContain('the run may still run')
    host = await startLocalSocketHost({ service: app.core.service, dataDir })
    app.core.agent.cancelRun('run-left')
    model.release()
    expect(await first.exit).toBe(0)
  })

  it('--attach: the files are stored first and the prompt reaches the model with them (issue 14)', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const files = await readAttachFiles([join(attachDir(), 'notes.md')])
    expect(files[0]).toMatchObject({ name: 'notes.md', mimeType: 'text/markdown' })
    const run = command(runArgs(app.sessionId), 'summarise', 'run-attach', files)
    expect(await run.exit).toBe(0)
    expect(model.attached.at(-1)).toEqual(['notes.md: # Notes\n'])
  })

  it('--attach: a file larger than one part goes to main in parts, and reaches the model whole', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const dir = attachDir()
    const text = Array.from({ length: 30_000 }, (_, line) => `line ${line}: some notes to read\n`).join('')
    writeFileSync(join(dir, 'long.md'), text)
    const files = await readAttachFiles([join(dir, 'long.md')])
    expect(files[0]?.bytes.length).toBeGreaterThan(2 * uploadPartBytes)
    const run = command(runArgs(app.sessionId), 'summarise', 'run-parts', files)
    expect(await run.exit).toBe(0)
    expect(model.attached.at(-1)).toEqual([`long.md: ${text}`])
  })

  it('a new chat by default, with --model and --system applied to it', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const fresh = command(runArgs('', { target: { kind: 'new' }, model: 'other-model', system: 'Be brief.' }), 'hi', 'run-new')
    expect(await fresh.exit).toBe(0)
    const complete = await app.core.service.awaitRun('run-new')
    expect(complete.sessionId).not.toBe(app.sessionId)
    const session = app.core.agent.sessions.list().find((s) => s.id === complete.sessionId)
    expect(session?.options).toEqual({ model: { providerId: 'gated', model: 'other-model' }, systemPrompt: 'Be brief.' })
  })

  it('--continue goes on in the chat with the newest activity (as `llm -c`), not a new one', async () => {
    const model = new GatedModel()
    const app = await startApp(model)
    const older = app.core.agent.createSession({}).id
    const first = command(runArgs('', { target: { kind: 'new' } }), 'first', 'run-first')
    expect(await first.exit).toBe(0)
    const newest = (await app.core.service.awaitRun('run-first')).sessionId
    expect([app.sessionId, older]).not.toContain(newest)
    const asked: string[] = []
    const again = command(runArgs('', { target: { kind: 'latest' } }), 'and again', 'run-again', [], asked)
    expect(await again.exit).toBe(0)
    expect((await app.core.service.awaitRun('run-again')).sessionId).toBe(newest)
    expect(app.core.agent.sessions.list()).toHaveLength(3)
    // Found by asking main for the one newest chat, not by paging every chat's messages (5,000 chats: see decisions.md).
    expect(asked).not.toContain('historySnapshot')
    expect(asked).toContain('listChats')
  })
})

/** A folder with one small file to attach. */
function attachDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-attach-'))
  writeFileSync(join(dir, 'notes.md'), '# Notes\n')
  return dir
}
