import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { acquireDataLock, DataFolderInUseError, dataLockFileName, foreignStaleMs, inUseSentence, type DataLock } from './data-lock'
import { createParleyCore, type ParleyCore } from './parley-core'
import { identityOf } from './process-identity'
import { MemorySecretStore } from './settings/secret-store'

const fixtures = join(import.meta.dirname, 'test-fixtures')
const dirs: string[] = []
const locks: DataLock[] = []
const cores: ParleyCore[] = []
const children: ChildProcess[] = []

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const core of cores.splice(0)) await core.shutdown()
  for (const lock of locks.splice(0)) lock.release()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-lock-'))
  dirs.push(dir)
  return dir
}

function take(dir: string): DataLock {
  const lock = acquireDataLock(dir, 'headless')
  locks.push(lock)
  return lock
}

const lockPath = (dir: string): string => join(dir, dataLockFileName)
const lockFile = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(lockPath(dir), 'utf8')) as Record<string, unknown>

function refusal(run: () => unknown): DataFolderInUseError {
  try {
    run()
  } catch (error) {
    if (error instanceof DataFolderInUseError) return error
    throw error
  }
  throw new Error('the lock was not refused')
}

/** A pid that was alive a moment ago and is not any more. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.once('exit', resolve))
  if (child.pid === undefined) throw new Error('the child had no pid')
  return child.pid
}

function newCore(dataDir: string): Promise<ParleyCore> {
  return createParleyCore({ dataDir, secrets: new MemorySecretStore() })
}

/** A process that lives until the test ends (another program, as far as the lock can tell). */
async function livePid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
  children.push(child)
  await new Promise((resolve) => child.once('spawn', resolve))
  if (child.pid === undefined) throw new Error('the child had no pid')
  return child.pid
}

const linux = process.platform === 'linux'

/** Spawns a TypeScript fixture with tsx, as the crash tests do. */
function spawnFixture(file: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  return child
}

function lines(child: ChildProcess): Promise<string[]> {
  return new Promise((resolve) => {
    const out: string[] = []
    if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => out.push(line))
    child.once('exit', () => setTimeout(() => resolve(out), 20))
  })
}

describe('the data folder lock', () => {
  it('is taken with who holds it, and released', () => {
    const dir = newDir()
    const listeners = process.listenerCount('exit')
    const lock = take(dir)
    expect(lockFile(dir)).toMatchObject({ pid: process.pid, hostname: hostname(), mode: 'headless', startedAt: expect.any(String) })
    if (linux) expect(lockFile(dir)).toMatchObject({ ...identityOf('self') })
    expect(process.listenerCount('exit')).toBe(listeners + 1)
    lock.release()
    expect(existsSync(lockPath(dir))).toBe(false)
    // No exit listener left behind, and no temp files: a hundred cores in a test run leak nothing.
    expect(process.listenerCount('exit')).toBe(listeners)
    expect(readdirSync(dir)).toEqual([])
    lock.release()
    take(dir)
  })

  it('a second lock on the same folder, in the same process, is refused with one sentence that says what to do', () => {
    const dir = newDir()
    take(dir)
    const error = refusal(() => acquireDataLock(dir, 'browser'))
    expect(error.code).toBe('data-folder-in-use')
    expect(error.message).toBe(inUseSentence(dir, error.holder))
    expect(error.message).toMatch(
      new RegExp(
        `^The data folder ${dir} is in use by another Parley \\(a headless core: the command line or a test, pid ${process.pid}, ` +
          'since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\); quit the other Parley, or start this one with another data folder: ' +
          '--data-dir / PARLEY_DATA_DIR\\.$'
      )
    )
    // The refused one changed nothing.
    expect(lockFile(dir)['mode']).toBe('headless')
    expect(readdirSync(dir)).toEqual([dataLockFileName])
  })

  it('a lock left by a process that died (a crash) is taken over', async () => {
    const dir = newDir()
    const pid = await deadPid()
    writeFileSync(lockPath(dir), JSON.stringify({ id: 'old', pid, hostname: hostname(), startedAt: new Date().toISOString(), mode: 'browser' }))
    take(dir)
    expect(lockFile(dir)).toMatchObject({ pid: process.pid })
    expect(readdirSync(dir)).toEqual([dataLockFileName])
  })

  it('a torn or garbage lock file is taken over; one just written is given a second first, in case it is being written', () => {
    for (const junk of ['{"pid": 12', 'garbage', '', '{"hostname":"x"}']) {
      const dir = newDir()
      writeFileSync(lockPath(dir), junk)
      utimesSync(lockPath(dir), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))
      take(dir).release()
    }
    const dir = newDir()
    writeFileSync(lockPath(dir), '{"pid"')
    const started = Date.now()
    take(dir)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(lockFile(dir)).toMatchObject({ pid: process.pid })
  })

  it('a lock from another computer (a shared network folder) is held while it is kept fresh, and taken over once it is not', () => {
    const dir = newDir()
    const holder = { id: 'theirs', pid: 4242, hostname: 'elsewhere.example', startedAt: '2026-12-01T08:00:00.000Z', mode: 'desktop' }
    writeFileSync(lockPath(dir), JSON.stringify(holder))
    const error = refusal(() => acquireDataLock(dir, 'browser'))
    expect(error.message).toContain('(the desktop app, pid 4242 on the computer elsewhere.example, since 2026-12-01 08:00 UTC)')
    expect(error.message).toMatch(/ If it no longer runs there, the folder is free 2 minutes after it stopped\.$/)
    expect(lockFile(dir)).toEqual(holder)
    // Touched a little under the limit ago: still held. Past it (its Parley stopped, or this computer's name changed
    // since, as a laptop's does between networks): taken over.
    const ago = (ms: number): Date => new Date(Date.now() - ms)
    utimesSync(lockPath(dir), ago(foreignStaleMs - 10_000), ago(foreignStaleMs - 10_000))
    refusal(() => acquireDataLock(dir, 'browser'))
    utimesSync(lockPath(dir), ago(foreignStaleMs + 1_000), ago(foreignStaleMs + 1_000))
    take(dir)
    expect(lockFile(dir)).toMatchObject({ pid: process.pid, hostname: hostname() })
  })

  it('a held lock is touched every so often, so other computers can tell it lives; a lock no longer ours is left alone', async () => {
    const dir = newDir()
    const lock = acquireDataLock(dir, 'headless', { refreshMs: 20 })
    locks.push(lock)
    const old = new Date(Date.now() - 3_600_000)
    utimesSync(lockPath(dir), old, old)
    await expect.poll(() => statSync(lockPath(dir)).mtimeMs, { timeout: 2_000, interval: 10 }).toBeGreaterThan(Date.now() - 60_000)
    writeFileSync(lockPath(dir), JSON.stringify({ id: 'theirs', pid: process.pid, hostname: 'elsewhere.example' }))
    utimesSync(lockPath(dir), old, old)
    await new Promise((resolve) => setTimeout(resolve, 100))
    // Still the hour-old time (mtimeMs is a float: equal within a millisecond), not touched to now.
    expect(Math.abs(statSync(lockPath(dir)).mtimeMs - old.getTime())).toBeLessThan(1)
    lock.release()
  })

  it('a lock of a mode this version does not know still counts while its process lives', async () => {
    const dir = newDir()
    const pid = await livePid()
    writeFileSync(lockPath(dir), JSON.stringify({ pid, hostname: hostname(), mode: 'someday', extra: 1 }))
    expect(refusal(() => acquireDataLock(dir, 'browser')).message).toContain(`(another kind of Parley, pid ${pid});`)
  })

  it('a lock with our own pid that this process does not hold is taken over: an earlier process had our pid', () => {
    // A crash, then a start in a fresh container (or pid namespace), where the same start order gives the same pids.
    for (const holder of [{ id: 'earlier', pid: process.pid, hostname: hostname(), mode: 'browser' }, { pid: process.pid, hostname: hostname() }]) {
      const dir = newDir()
      writeFileSync(lockPath(dir), JSON.stringify(holder))
      const lock = take(dir)
      expect(lockFile(dir)).toMatchObject({ pid: process.pid, mode: 'headless' })
      lock.release()
    }
  })

  it.runIf(linux)('a lock whose pid now belongs to another process (another start, another boot) is taken over; its own process holds it', async () => {
    const pid = await livePid()
    const theirs = identityOf(pid)
    if (theirs === undefined) throw new Error('no identity for a live child')
    const lockOf = (identity: object): string => JSON.stringify({ id: 'theirs', pid, hostname: hostname(), mode: 'desktop', ...identity })
    const held = newDir()
    writeFileSync(lockPath(held), lockOf(theirs))
    expect(refusal(() => acquireDataLock(held, 'browser')).holder.pid).toBe(pid)
    for (const other of [{ ...theirs, startTicks: theirs.startTicks - 1 }, { ...theirs, bootId: 'a-boot-before-a-restart' }]) {
      const dir = newDir()
      writeFileSync(lockPath(dir), lockOf(other))
      take(dir)
      expect(lockFile(dir)).toMatchObject({ pid: process.pid, mode: 'headless' })
    }
  })

  it.runIf(linux)('a lock under another host name but of this boot is on this computer: held while its process lives, then taken over', async () => {
    // A container started again under a new host name, on the same data folder.
    const pid = await livePid()
    const lockOf = (holderPid: number): string =>
      JSON.stringify({ id: 'theirs', pid: holderPid, hostname: 'container-before', mode: 'browser', ...identityOf(holderPid) })
    const held = newDir()
    writeFileSync(lockPath(held), lockOf(pid))
    expect(refusal(() => acquireDataLock(held, 'browser')).message).toContain('on the computer container-before')
    const dir = newDir()
    writeFileSync(lockPath(dir), JSON.stringify({ ...(JSON.parse(lockOf(pid)) as object), pid: await deadPid() }))
    take(dir)
    expect(lockFile(dir)).toMatchObject({ pid: process.pid, hostname: hostname() })
  })

  it("release leaves someone else's lock alone (one that took ours over after judging us gone)", () => {
    const dir = newDir()
    const lock = take(dir)
    const theirs = JSON.stringify({ id: 'theirs', pid: process.pid, hostname: hostname(), mode: 'browser' })
    writeFileSync(lockPath(dir), theirs)
    lock.release()
    expect(readFileSync(lockPath(dir), 'utf8')).toBe(theirs)
  })

  it('of processes racing for a stale lock, exactly one wins', async () => {
    const dir = newDir()
    writeFileSync(lockPath(dir), JSON.stringify({ id: 'old', pid: await deadPid(), hostname: hostname(), mode: 'browser' }))
    // tsx takes a while to start on a busy machine: every racer waits for the same instant, well after that. (With
    // "rename ours over the stale one, then read it back", this test finds two winners; with "move the stale one aside,
    // put it back if it was not", a third racer could win in the instant it was away: CI found that once.)
    const at = String(Date.now() + 4000)
    const racers = Array.from({ length: 4 }, () => spawnFixture(join(fixtures, 'racing-lock.ts'), [dir, at]))
    const said = (await Promise.all(racers.map(lines))).flat()
    expect(said.sort()).toEqual(['refused', 'refused', 'refused', 'won'])
  }, 30_000)
})

describe('one core per data folder', () => {
  it('a core that fails to start releases the folder', async () => {
    const dir = newDir()
    const broken = new MemorySecretStore()
    broken.list = () => Promise.reject(new Error('no keychain'))
    await expect(createParleyCore({ dataDir: dir, secrets: broken })).rejects.toThrow('no keychain')
    expect(existsSync(lockPath(dir))).toBe(false)
    const core = await newCore(dir)
    cores.push(core)
    await core.shutdown()
    cores.pop()
    expect(existsSync(lockPath(dir))).toBe(false)
  })

  it('a second process is refused while the first runs, and takes the folder over once it was killed', async () => {
    const dir = newDir()
    const child = spawnFixture(join(fixtures, 'holding-core.ts'), [dir])
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
    await new Promise<void>((resolve, reject) => {
      child.once('exit', () => reject(new Error('the child core exited early')))
      if (child.stdout) createInterface({ input: child.stdout }).once('line', () => resolve())
    })
    const refused = await newCore(dir).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(refused).toBeInstanceOf(DataFolderInUseError)
    expect((refused as Error).message).toContain(`in use by another Parley (browser mode, pid ${child.pid}, since `)
    expect(lockFile(dir)['pid']).toBe(child.pid)

    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    const core = await newCore(dir)
    cores.push(core)
    expect(lockFile(dir)['pid']).toBe(process.pid)
  }, 30_000)

  it('browser mode on a folder another core holds exits 1 with the sentence, and no stack trace', async () => {
    const dir = newDir()
    const core = await newCore(dir)
    cores.push(core)
    const entry = fileURLToPath(new URL('../web.ts', import.meta.url))
    const child = spawnFixture(entry, ['--data-dir', dir, '--port', '0'])
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const [stdout, code] = await Promise.all([lines(child), new Promise<number | null>((resolve) => child.once('exit', resolve))])
    expect(code).toBe(1)
    expect(stdout).toEqual([])
    expect(stderr).toBe(`${inUseSentence(dir, { pid: process.pid, hostname: hostname(), mode: 'headless', startedAt: lockFile(dir)['startedAt'] as string })}\n`)
    // The refused one left the folder as it was.
    expect(lockFile(dir)['pid']).toBe(process.pid)
  }, 30_000)
})
