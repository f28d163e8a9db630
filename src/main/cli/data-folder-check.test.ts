import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedServer, type ScriptedServer } from '../../../e2e/fixtures/scripted-server'
import { createParleyCore, type ParleyCore } from '../core/parley-core'
import { MemorySecretStore } from '../core/settings/secret-store'
import { startLocalSocketHost, type LocalSocketHost } from '../host/local-socket'
import { readLaunchEnvironment } from '../launch-settings'
import { CliProcesses, launchEnv, type CliResult } from './test-fixtures/cli-process'
import { chooseDataFolder, foreignFolderRefusal, lookAtFolder, missingFolderRefusal, newFolderNote } from './data-folder-check'

let server: ScriptedServer | undefined
let parent = ''
const cli = new CliProcesses()
let app: { core: ParleyCore; host: LocalSocketHost } | undefined

afterEach(async () => {
  cli.killAll()
  await app?.host.close()
  await app?.core.shutdown()
  app = undefined
  await server?.close()
  server = undefined
  if (parent !== '') rmSync(parent, { recursive: true, force: true })
  parent = ''
})

/** `parley …args` as its own process, with the scripted server (or none) as its model; resolves with its exit status and output. */
function parley(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return cli.run(args, { PARLEY_DATA_DIR: '', ...launchEnv(server?.url ?? 'http://127.0.0.1:9/v1'), ...env })
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
    expect(lookAtFolder(join(parent, 'nope'))).toEqual({ kind: 'missing' })
    expect(lookAtFolder(parent)).toEqual({ kind: 'foreign', names: ['a-file'] })
    expect(lookAtFolder(join(parent, 'a-file'))).toEqual({ kind: 'unknown' })
  })

  it('is Parley\'s by the names its core, lock and browser mode write; empty with only a file manager\'s litter; another folder otherwise', async () => {
    parent = mkdtempSync(join(tmpdir(), 'parley-folder-'))
    const folder = (name: string, files: string[]): string => {
      const dir = join(parent, name)
      mkdirSync(dir)
      for (const file of files) writeFileSync(join(dir, file), '')
      return dir
    }
    expect(lookAtFolder(folder('empty', []))).toEqual({ kind: 'empty' })
    expect(lookAtFolder(folder('shown-in-finder', ['.DS_Store', 'Thumbs.db', 'desktop.ini']))).toEqual({ kind: 'empty' })
    // A folder Parley ran in, after it stopped (its lock gone): what every start makes.
    const ran = join(parent, 'ran')
    const core = await createParleyCore({ dataDir: ran, secrets: new MemorySecretStore() })
    await core.shutdown()
    expect(lookAtFolder(ran)).toEqual({ kind: 'parley' })
    // The desktop app's folder: Electron's own files beside Parley's.
    expect(lookAtFolder(folder('desktop', ['Local State', 'Preferences', 'SingletonLock', 'journal.jsonl']))).toEqual({ kind: 'parley' })
    // Only the damaged journal's copy, or only browser mode's address: still Parley's.
    expect(lookAtFolder(folder('copy', ['journal.jsonl.corrupt-1700000000000']))).toEqual({ kind: 'parley' })
    expect(lookAtFolder(folder('address', ['browser-address.json']))).toEqual({ kind: 'parley' })
    // Names other programs use too are not Parley's (VS Code's User folder has a settings.json).
    expect(lookAtFolder(folder('code-user', ['settings.json', 'keybindings.json', '.DS_Store']))).toEqual({
      kind: 'foreign',
      names: ['keybindings.json', 'settings.json']
    })
    // Only what Parley makes too (settings written ahead for it): prepared for Parley, not someone else's.
    expect(lookAtFolder(folder('prepared', ['settings.json']))).toEqual({ kind: 'parley' })
    expect(lookAtFolder(folder('prepared-more', ['settings.json', 'sessions.json', 'secrets.json', 'settings.json.corrupt-1']))).toEqual({ kind: 'parley' })
    expect(lookAtFolder(folder('prepared-and-mine', ['settings.json', 'notes.txt']))).toEqual({ kind: 'foreign', names: ['notes.txt', 'settings.json'] })
    // Electron's files alone: the desktop app starting in its userData (before its core ran) is not the command line's.
    expect(lookAtFolder(folder('electron-only', ['Local State', 'SingletonLock']))).toEqual({ kind: 'foreign', names: ['Local State', 'SingletonLock'] })
  })

  it('is refused when it holds other files, in a sentence naming a few of them and where it came from', () => {
    expect(foreignFolderRefusal({ dataDir: '/home/p', source: '--data-dir' }, ['.bashrc', 'Documents', 'Music', 'notes.txt', 'x'], '/home/p')).toBe(
      "/home/p (from --data-dir) is not a Parley data folder: it holds other files (.bashrc, Documents, Music and 2 more) and none of Parley's, so nothing was written there. Name the folder Parley uses (/home/p/.parley unless you chose another), or a new or empty one."
    )
    expect(foreignFolderRefusal({ dataDir: '/home/p/Documents', source: 'PARLEY_DATA_DIR' }, ['a.pdf'], '/home/p')).toMatch(
      /^\/home\/p\/Documents \(from PARLEY_DATA_DIR\) is not a Parley data folder: it holds other files \(a\.pdf\) and none/
    )
  })

  it('is refused for reading in a sentence naming where it came from; a new one is noted for a run, but never the default', () => {
    expect(missingFolderRefusal({ dataDir: '/home/p/parly', source: '--data-dir' })).toBe(
      'There is no data folder at /home/p/parly (from --data-dir): check its spelling; `parley chats`, `status` and `show` only read, so nothing was created.'
    )
    expect(missingFolderRefusal({ dataDir: '/home/p/.parley', source: 'default' })).toMatch(/^There is no data folder at \/home\/p\/.parley yet/)
    expect(missingFolderRefusal({ dataDir: '/home/p/empty', source: 'PARLEY_DATA_DIR' }, 'empty')).toBe(
      'The folder /home/p/empty is empty (from PARLEY_DATA_DIR): Parley has not run there; `parley chats`, `status` and `show` only read, so nothing was written there.'
    )
    expect(missingFolderRefusal({ dataDir: '/home/p/.parley', source: 'default' }, 'empty')).toBe(
      'The folder /home/p/.parley is empty: Parley has not run there yet (`parley run` starts it, or name another folder with --data-dir).'
    )
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
    // A folder that is there but empty (made for Parley, or by mistake): nothing to read, and nothing set up in it.
    const empty = join(parent, 'empty')
    mkdirSync(empty)
    for (const args of [['chats'], ['status'], ['show', 'some-chat']]) {
      const result = await parley(['--data-dir', empty, ...args])
      expect(result.code).toBe(2)
      expect(result.stderr).toBe(
        `parley: The folder ${empty} is empty (from --data-dir): Parley has not run there; \`parley chats\`, \`status\` and \`show\` only read, so nothing was written there.\n`
      )
    }
    expect(readdirSync(empty)).toEqual([])
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

describe('a --data-dir that is someone else\'s folder (`--data-dir ~`), as a script meets it', () => {
  it('every command refuses it (exit 2) and writes nothing there; PARLEY_DATA_DIR too', async () => {
    server = await startScriptedServer({ models: ['large'], defaultReply: { text: 'An answer.' } })
    parent = mkdtempSync(join(tmpdir(), 'parley-foreign-'))
    const home = join(parent, 'home')
    mkdirSync(join(home, 'Documents'), { recursive: true })
    writeFileSync(join(home, '.bashrc'), '')
    writeFileSync(join(home, 'notes.txt'), 'mine')
    const before = readdirSync(home).sort()
    const sentence = `parley: ${home} (from --data-dir) is not a Parley data folder: it holds other files (.bashrc, Documents, notes.txt) and none of Parley's, so nothing was written there.`
    for (const args of [['chats'], ['status'], ['show', 'some-chat'], ['run', '--quiet', 'hello']]) {
      const result = await parley(['--data-dir', home, ...args])
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr.startsWith(sentence)).toBe(true)
      expect(result.stderr.split('\n')).toHaveLength(2)
    }
    const fromVariable = await parley(['run', 'hello'], { PARLEY_DATA_DIR: home })
    expect(fromVariable.code).toBe(2)
    expect(fromVariable.stderr).toContain(`${home} (from PARLEY_DATA_DIR) is not a Parley data folder`)
    expect(readdirSync(home).sort()).toEqual(before)
    expect(server.requests).toEqual([])
  }, 120_000)

  it('an empty folder (a file manager\'s litter aside) starts a Parley without a word; a Parley folder holding Electron\'s files too is read', async () => {
    server = await startScriptedServer({ models: ['large'], defaultReply: { text: 'An answer.' } })
    parent = mkdtempSync(join(tmpdir(), 'parley-foreign-'))
    const fresh = join(parent, 'made-for-parley')
    mkdirSync(fresh)
    writeFileSync(join(fresh, '.DS_Store'), '')
    expect(await parley(['--data-dir', fresh, 'run', '--quiet', 'hello'])).toEqual({ code: 0, stdout: 'An answer.\n', stderr: '' })
    // The desktop app's folder: Electron's files (written before its core starts) beside the ones the core made.
    const desktop = join(parent, 'desktop')
    const core = await createParleyCore({ dataDir: desktop, secrets: new MemorySecretStore(), initialSettings: readLaunchEnvironment(launchEnv(server.url)).initialSettings })
    await core.shutdown()
    for (const file of ['Local State', 'Preferences', 'SingletonLock']) writeFileSync(join(desktop, file), '')
    const chats = await parley(['--data-dir', desktop, 'chats'])
    expect(chats).toEqual({ code: 0, stdout: 'No chats yet.\n', stderr: '' })
  }, 120_000)

  it('the app\'s own start is not the command line\'s check: its core starts in a userData that holds only Electron\'s files', async () => {
    parent = mkdtempSync(join(tmpdir(), 'parley-foreign-'))
    const userData = join(parent, 'parley')
    mkdirSync(userData)
    for (const file of ['Local State', 'Preferences', 'SingletonLock', 'SingletonCookie']) writeFileSync(join(userData, file), '')
    const core = await createParleyCore({ dataDir: userData, mode: 'desktop', secrets: new MemorySecretStore() })
    expect(readdirSync(userData)).toEqual(expect.arrayContaining(['journal.jsonl', 'parley.lock', 'session-log']))
    await core.shutdown()
    expect(lookAtFolder(userData)).toEqual({ kind: 'parley' })
  })
})
