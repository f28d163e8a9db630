import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedServer, type ScriptedServer } from '../../../e2e/fixtures/scripted-server'
import { createParleyCore, type ParleyCore } from '../core/parley-core'
import { MemorySecretStore } from '../core/settings/secret-store'
import { startLocalSocketHost, type LocalSocketHost } from '../host/local-socket'
import { readLaunchEnvironment } from '../launch-settings'
import { chooseDataFolder, folderIsMissing, missingFolderRefusal, newFolderNote } from './data-folder-check'

const cliEntry = join(import.meta.dirname, 'main.ts')
let server: ScriptedServer | undefined
let parent = ''
const children: ChildProcess[] = []
let app: { core: ParleyCore; host: LocalSocketHost } | undefined

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await app?.host.close()
  await app?.core.shutdown()
  app = undefined
  await server?.close()
  server = undefined
  if (parent !== '') rmSync(parent, { recursive: true, force: true })
  parent = ''
})

const launchEnv = (url: string): Record<string, string> => ({ PARLEY_PROVIDER_URL: url, PARLEY_MODEL: 'large', PARLEY_SMALL_MODEL: 'large' })

/** `parley …args` as its own process; resolves with its exit status and output. */
function parley(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
    env: { ...process.env, PARLEY_DATA_DIR: '', ...launchEnv(server?.url ?? 'http://127.0.0.1:9/v1'), ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout: out, stderr: err })))
}

describe('the data folder a command names', () => {
  it('is --data-dir, then PARLEY_DATA_DIR, then ~/.parley; the default named outright is still the default', () => {
    expect(chooseDataFolder('/tmp/a', '/tmp/b', '/home/p')).toEqual({ dataDir: '/tmp/a', source: '--data-dir' })
    expect(chooseDataFolder(null, '/tmp/b', '/home/p')).toEqual({ dataDir: '/tmp/b', source: 'PARLEY_DATA_DIR' })
    expect(chooseDataFolder(null, undefined, '/home/p')).toEqual({ dataDir: '/home/p/.parley', source: 'default' })
    expect(chooseDataFolder('/home/p/.parley/', undefined, '/home/p')).toEqual({ dataDir: '/home/p/.parley', source: 'default' })
  })

  it('is missing only when nothing is at its path (a file in its place is the core\'s to name)', () => {
    parent = mkdtempSync(join(tmpdir(), 'parley-folder-'))
    writeFileSync(join(parent, 'a-file'), 'x')
    expect(folderIsMissing(join(parent, 'nope'))).toBe(true)
    expect(folderIsMissing(parent)).toBe(false)
    expect(folderIsMissing(join(parent, 'a-file'))).toBe(false)
  })

  it('is refused for reading in a sentence naming where it came from; a new one is noted for a run, but never the default', () => {
    expect(missingFolderRefusal({ dataDir: '/home/p/parly', source: '--data-dir' })).toBe(
      'There is no data folder at /home/p/parly (from --data-dir): check its spelling; `parley chats`, `status` and `show` only read, so nothing was created.'
    )
    expect(missingFolderRefusal({ dataDir: '/home/p/.parley', source: 'default' })).toMatch(/^There is no data folder at \/home\/p\/.parley yet/)
    expect(newFolderNote({ dataDir: '/home/p/parly', source: 'PARLEY_DATA_DIR' })).toMatch(/^starting a new data folder at \/home\/p\/parly \(from PARLEY_DATA_DIR\)/)
    expect(newFolderNote({ dataDir: '/home/p/.parley', source: 'default' })).toBeNull()
  })
})

describe('a misspelled --data-dir, as a script meets it', () => {
  it('`chats`, `status` and `show` say the folder does not exist (exit 2) and create nothing, even while the app runs on another folder', async () => {
    server = await startScriptedServer({ models: ['large'] })
    parent = mkdtempSync(join(tmpdir(), 'parley-typo-'))
    // The app, serving its socket, on the folder that was meant.
    const meant = join(parent, 'parley')
    const core = await createParleyCore({ dataDir: meant, secrets: new MemorySecretStore(), initialSettings: readLaunchEnvironment(launchEnv(server.url)).initialSettings })
    app = { core, host: await startLocalSocketHost({ service: core.service, dataDir: meant }) }
    const typo = join(parent, 'parly')
    for (const args of [['chats'], ['status', '--json'], ['show', 'some-chat']]) {
      const result = await parley(['--data-dir', typo, ...args])
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `parley: There is no data folder at ${typo} (from --data-dir): check its spelling; \`parley chats\`, \`status\` and \`show\` only read, so nothing was created.\n`
      })
    }
    const fromVariable = await parley(['chats'], { PARLEY_DATA_DIR: join(parent, 'deeper', 'parly') })
    expect(fromVariable.code).toBe(2)
    expect(fromVariable.stderr).toContain('(from PARLEY_DATA_DIR)')
    expect(readdirSync(parent)).toEqual(['parley'])
    expect(server.requests).toEqual([])
  }, 120_000)

  it('`run` on a folder that is not there says once that it starts a new one, and answers; the next run there says nothing', async () => {
    server = await startScriptedServer({ models: ['large'], defaultReply: { text: 'An answer.' } })
    parent = mkdtempSync(join(tmpdir(), 'parley-typo-'))
    const typo = join(parent, 'parly')
    const first = await parley(['--data-dir', typo, 'run', '--quiet', 'hello'])
    expect(first.code).toBe(0)
    expect(first.stdout).toBe('An answer.\n')
    expect(first.stderr).toBe(
      `parley: starting a new data folder at ${typo} (from --data-dir), as none was there: check its spelling if you meant an existing one\n`
    )
    expect(existsSync(typo)).toBe(true)
    const second = await parley(['--data-dir', typo, 'run', '--quiet', 'hello again'])
    expect(second).toMatchObject({ code: 0, stderr: '' })
  }, 120_000)
})
