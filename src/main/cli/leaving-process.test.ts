import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Message } from '../../shared'
import { startScriptedServer, type ScriptedServer } from '../../../e2e/fixtures/scripted-server'
import { dataLockFileName } from '../core/data-lock'
import { createParleyCore } from '../core/parley-core'
import { MemorySecretStore } from '../core/settings/secret-store'
import { localSocketPath } from '../host/local-socket-protocol'

// `parley run` as its own process, running Parley itself (no app on the folder), stopped from outside mid-answer: it
// must cancel its run and leave the folder clean, as Ctrl+C does, never die with the lock and the socket left behind.

const cliEntry = join(import.meta.dirname, 'main.ts')
let server: ScriptedServer | undefined
let dataDir = ''
const children: ChildProcess[] = []

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await server?.close()
  server = undefined
  rmSync(dataDir, { recursive: true, force: true })
})

interface Cli {
  child: ChildProcess
  exit: Promise<number | null>
  /** Resolves once the answer has started on stdout. */
  answering: Promise<void>
  stderr(): string
}

/** `parley run PROMPT` on a fresh folder, against a scripted server that streams a long answer slowly. */
async function runCli(prompt: string): Promise<Cli> {
  server = await startScriptedServer({ models: ['large'] })
  server.setDefault({ tokens: Array.from({ length: 400 }, (_, i) => `w${i} `), tokenDelayMs: 20 })
  dataDir = mkdtempSync(join(tmpdir(), 'parley-leaving-'))
  const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, '--data-dir', dataDir, 'run', prompt], {
    env: { ...process.env, PARLEY_PROVIDER_URL: server.url, PARLEY_MODEL: 'large', PARLEY_SMALL_MODEL: 'large' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.push(child)
  let err = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  const answering = new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()))
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  return { child, exit, answering, stderr: () => err }
}

/** How the command's answer ended, read from the folder it left. */
async function answerLeft(): Promise<Message | undefined> {
  const core = await createParleyCore({ dataDir, secrets: new MemorySecretStore() })
  try {
    expect(core.recovery.interrupted).toEqual([])
    const page = await core.service.historySnapshot({ cursor: null })
    return page.messages.map((entry) => entry.message).find((message) => message.role === 'assistant')
  } finally {
    await core.shutdown()
  }
}

const folderIsFree = (): boolean => !existsSync(join(dataDir, dataLockFileName)) && !existsSync(localSocketPath(dataDir))

describe('`parley run` running Parley itself, stopped from outside', () => {
  it('D1: `| head -c 5`: a reader that closes stdout cancels the run of a Parley running here (the pipeline ends, what streamed kept); exit 141, quietly, the folder left clean', async () => {
    const cli = await runCli('a long answer, please')
    await cli.answering
    // What `head -c 5` does once it has its bytes: it closes its end of the pipe.
    cli.child.stdout?.destroy()
    expect(await cli.exit).toBe(141)
    expect(cli.stderr()).not.toMatch(/EPIPE|Error/)
    expect(folderIsFree()).toBe(true)
    expect((await answerLeft())?.finishReason).toBe('canceled')
  }, 60_000)

  it('D1: SIGTERM (`timeout 3 parley run …`) cancels the run as Ctrl+C does: exit 143, the folder left clean', async () => {
    const cli = await runCli('a long answer, please')
    cli.child.stdout?.resume()
    await cli.answering
    cli.child.kill('SIGTERM')
    expect(await cli.exit).toBe(143)
    expect(folderIsFree()).toBe(true)
    expect((await answerLeft())?.finishReason).toBe('canceled')
  }, 60_000)
})
