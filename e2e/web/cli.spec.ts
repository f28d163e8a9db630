import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { transcript } from '../fixtures/chat-window'
import { chatModel, titleModel } from '../fixtures/scripted-models'
import { lastUserText } from '../fixtures/scripted-server'
import { expect, test } from './host-process'

// Issue 12, `parley run`: the command line against browser mode (a killable server with a fixed data folder) and the
// scripted model server. Each command is the built CLI (out/main/cli.js) as its own process, as a person runs it.

const CLI_ENTRY = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url))

interface CliProcess {
  readonly child: ChildProcess
  /** Resolves with the exit status (a number; a signal's death counts as null). */
  readonly exit: Promise<number | null>
  stdout(): string
  stderr(): string
}

/** Runs `parley --data-dir DIR …args`; `stdin` is piped in and closed, else stdin is /dev/null. */
function parley(dataDir: string, args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): CliProcess {
  if (!existsSync(CLI_ENTRY)) throw new Error(`${CLI_ENTRY} is missing: build first (npm run build).`)
  const child = spawn(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, ...args], {
    env: { ...process.env, ...options.env },
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  if (options.stdin !== undefined) child.stdin?.end(options.stdin)
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  return { child, exit, stdout: () => out, stderr: () => err }
}

/** The one chat's id, as `parley chats` lists it. */
async function onlyChatId(dataDir: string): Promise<string> {
  const chats = parley(dataDir, ['chats'])
  expect(await chats.exit).toBe(0)
  const lines = chats.stdout().trim().split('\n')
  expect(lines).toHaveLength(1)
  return lines[0]?.split('\t')[0] ?? ''
}

async function openOnlyChat(page: Page): Promise<void> {
  await page.getByTestId('session-item').first().click()
}

test.describe('parley run against browser mode', () => {
  test('the reference scenario, one level up: a held run and a second on its chat each end with their own answer; the window shows two turns', async ({
    page,
    host,
    scripted
  }) => {
    test.setTimeout(90_000)
    scripted.answer((prompt) => (prompt === 'main' ? { text: 'The first answer.', gate: 'held' } : { text: 'The second answer.' }))
    await page.goto(host.url)
    const first = parley(host.dataDir, ['run', 'main'])
    await scripted.waitForGate('held')
    const sessionId = await onlyChatId(host.dataDir)
    const second = parley(host.dataDir, ['run', '--session', sessionId, 'follow'])
    await expect.poll(() => second.stderr(), { timeout: 15_000 }).toContain('queued, 1 ahead')
    scripted.release('held')
    expect(await first.exit).toBe(0)
    expect(await second.exit).toBe(0)
    expect(first.stdout()).toBe('The first answer.\n')
    expect(second.stdout()).toBe('The second answer.\n')
    await openOnlyChat(page)
    await expect.poll(() => transcript(page)).toEqual([
      { role: 'user', text: 'main', finish: '' },
      { role: 'assistant', text: 'The first answer.', finish: 'end_turn' },
      { role: 'user', text: 'follow', finish: '' },
      { role: 'assistant', text: 'The second answer.', finish: 'end_turn' }
    ])
  })

  test('SIGINT on a queued run removes its prompt: it exits 130 and the prompt never reaches the server', async ({ host, scripted }) => {
    test.setTimeout(60_000)
    scripted.answer((prompt) => (prompt === 'main' ? { text: 'The first answer.', gate: 'held' } : { text: 'never' }))
    const first = parley(host.dataDir, ['run', 'main'])
    await scripted.waitForGate('held')
    const sessionId = await onlyChatId(host.dataDir)
    const queued = parley(host.dataDir, ['run', '--session', sessionId, 'do not send this'])
    await expect.poll(() => queued.stderr(), { timeout: 15_000 }).toContain('queued, 1 ahead')
    queued.child.kill('SIGINT')
    expect(await queued.exit).toBe(130)
    const status = parley(host.dataDir, ['status', '--json'])
    expect(await status.exit).toBe(0)
    const queues = (JSON.parse(status.stdout()) as { sessions: { queue: unknown[] }[] }).sessions.flatMap((s) => s.queue)
    expect(queues).toEqual([])
    scripted.release('held')
    expect(await first.exit).toBe(0)
    const lastUserPrompts = scripted.chatRequests().map((r) => r.messages.filter((m) => m.role === 'user').at(-1)?.content)
    expect(lastUserPrompts).toEqual(['main'])
  })

  test('D2: SIGINT while the app is down: once it is back the command cancels its run there, so it never runs on', async ({
    host,
    scripted
  }) => {
    test.setTimeout(90_000)
    // The queued prompt is held at a gate: the restarted app holds the queue it brought back for at most 2 s (rule A8:
    // the command is no window, and does not end the hold), and a cancel that comes after that finds it started;
    // held there, it is the cancel that ends it, never the answer.
    scripted.answer((prompt) => (prompt === 'main' ? { text: 'The first answer.', gate: 'held' } : { text: 'The queued answer.', gate: 'queued' }))
    const env = { PARLEY_TAKEOVER_SECONDS: '120' }
    const first = parley(host.dataDir, ['run', 'main'], { env })
    await scripted.waitForGate('held')
    const sessionId = await onlyChatId(host.dataDir)
    const waiting = parley(host.dataDir, ['run', '--session', sessionId, 'cancel me'], { env })
    await expect.poll(() => waiting.stderr(), { timeout: 15_000 }).toContain('queued, 1 ahead')
    await host.kill()
    await expect.poll(() => waiting.stderr(), { timeout: 15_000 }).toContain('lost the connection')
    waiting.child.kill('SIGINT')
    await new Promise((resolve) => setTimeout(resolve, 300))
    await host.restart()
    expect(await waiting.exit).toBe(130)
    expect(await first.exit).toBe(1)
    const status = parley(host.dataDir, ['status', '--json'])
    expect(await status.exit).toBe(0)
    const sessions = (JSON.parse(status.stdout()) as { sessions: { busy: boolean; queue: unknown[] }[] }).sessions
    expect(sessions.flatMap((s) => s.queue)).toEqual([])
    expect(sessions.filter((s) => s.busy)).toEqual([])
    scripted.release('queued')
    expect(waiting.stderr()).toContain('waiting for it to cancel the run')
  })

  test('with nothing running, a piped prompt is answered in-process, and the chat is in the window once the app starts', async ({
    page,
    host,
    scripted
  }) => {
    test.setTimeout(60_000)
    scripted.answer((prompt) => ({ text: `Answered: ${prompt}` }))
    await host.kill()
    // The app's provider and models came from its launch variables (a folder's settings file is written only when
    // settings change), so the command is launched with the same ones, as a person would run both.
    const env = { PARLEY_PROVIDER_URL: scripted.server.url, PARLEY_MODEL: chatModel, PARLEY_SMALL_MODEL: titleModel }
    const run = parley(host.dataDir, ['run'], { stdin: 'a piped prompt\n', env })
    expect(await run.exit).toBe(0)
    expect(run.stdout()).toBe('Answered: a piped prompt\n')
    await host.restart()
    await page.goto(host.url)
    await openOnlyChat(page)
    await expect.poll(() => transcript(page)).toEqual([
      { role: 'user', text: 'a piped prompt', finish: '' },
      { role: 'assistant', text: 'Answered: a piped prompt', finish: 'end_turn' }
    ])
  })

  test('the app is killed while a run waits in its queue: after the app restarts, the command exits 0 with its own answer', async ({
    host,
    scripted
  }) => {
    test.setTimeout(90_000)
    scripted.answer((prompt) => (prompt === 'main' ? { text: 'The first answer.', gate: 'held' } : { text: 'The queued answer.' }))
    // The app always comes back here, so the command waits for it rather than taking the folder over.
    const env = { PARLEY_TAKEOVER_SECONDS: '120' }
    const first = parley(host.dataDir, ['run', 'main'], { env })
    await scripted.waitForGate('held')
    const sessionId = await onlyChatId(host.dataDir)
    const waiting = parley(host.dataDir, ['run', '--session', sessionId, 'queued'], { env })
    await expect.poll(() => waiting.stderr(), { timeout: 15_000 }).toContain('queued, 1 ahead')
    await host.kill()
    await host.restart()
    const restartedAt = Date.now()
    expect(await waiting.exit).toBe(0)
    expect(waiting.stdout()).toBe('The queued answer.\n')
    // A8: the command is no window: reaching the app again does not end its recovery hold; the hold's 2 s do (the
    // clock starts as the app recovers, a moment before it prints its address).
    const asked = scripted.server.requests.find((r) => (r.body as { model?: string } | undefined)?.model === chatModel && lastUserText(r) === 'queued')
    expect((asked?.time ?? 0) - restartedAt).toBeGreaterThanOrEqual(1_000)
    // The held run was cut off by the kill: it ends too, with its own outcome (G2), and never waits forever.
    expect(await first.exit).toBe(1)
    expect(first.stderr()).toContain('interrupted')
  })

  test('the socket is mode 0600, and a peer that does not speak the protocol is refused without harm', async ({ host, scripted }) => {
    scripted.answer(() => ({ text: 'Still here.' }))
    const socketPath = join(host.dataDir, 'parley.sock')
    expect(statSync(socketPath).isSocket()).toBe(true)
    expect(statSync(socketPath).mode & 0o777).toBe(0o600)
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(socketPath)
      let text = ''
      socket.on('connect', () => socket.write('GET / HTTP/1.1\r\nHost: parley\r\n\r\n'))
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
      socket.on('error', reject)
      socket.on('close', () => resolve(text))
    })
    expect(JSON.parse(answer)).toMatchObject({ kind: 'error', error: { code: 'BadRequest' } })
    const run = parley(host.dataDir, ['run', '--quiet', 'are you there?'])
    expect(await run.exit).toBe(0)
    expect(run.stdout()).toBe('Still here.\n')
  })
})
