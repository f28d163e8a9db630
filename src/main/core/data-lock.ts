import { randomUUID } from 'node:crypto'
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { ensureDataFolder } from './data-folder'
import { identityOf, isAnotherProcess } from './process-identity'

// One core per data folder (docs/decisions.md, "One core per data folder"): two cores on one folder would both append
// to the journal, both run its queued prompts and overwrite each other's sessions.json and settings.json.

/** What kind of Parley holds a folder, so the refusal can say which one to quit. */
export type DataLockMode = 'desktop' | 'browser' | 'headless'

export const dataLockFileName = 'parley.lock'

/**
 * A lock file as read. Lenient on purpose: a lock written by another version of Parley (another mode, more fields)
 * must still count as held while its process lives. Only a file without a pid and a hostname is torn.
 */
const lockFileSchema = z.object({
  id: z.string().optional(),
  pid: z.number().int().positive(),
  hostname: z.string(),
  startedAt: z.string().optional(),
  mode: z.string().optional(),
  /** The holder's identity (process-identity.ts): a live process now at its pid is another one if these differ. */
  bootId: z.string().optional(),
  startTicks: z.number().int().nonnegative().optional()
})
export type DataLockHolder = z.infer<typeof lockFileSchema>

/** The folder is held by another Parley that is still running (or on another computer, where we can't tell). */
export class DataFolderInUseError extends Error {
  readonly code = 'data-folder-in-use'

  constructor(
    readonly dataDir: string,
    readonly holder: DataLockHolder
  ) {
    super(inUseSentence(dataDir, holder))
    this.name = 'DataFolderInUseError'
  }
}

export interface DataLock {
  readonly path: string
  /** Removes the lock file if it is still ours. Safe to call more than once. */
  release(): void
}

/** The one sentence a refused start shows: which folder, who holds it, and what to do. */
export function inUseSentence(dataDir: string, holder: DataLockHolder): string {
  const what = modeLabels[holder.mode ?? ''] ?? 'another kind of Parley'
  const where = holder.hostname === hostname() ? '' : ` on the computer ${holder.hostname}`
  const since = holder.startedAt && !Number.isNaN(Date.parse(holder.startedAt)) ? `, since ${formatTime(holder.startedAt)}` : ''
  // Another computer's Parley can't be asked whether it lives: its lock is free once it stops being kept fresh.
  const elsewhere = where === '' ? '' : ` If it no longer runs there, the folder is free ${foreignStaleMs / 60_000} minutes after it stopped.`
  return (
    `The data folder ${dataDir} is in use by another Parley (${what}, pid ${holder.pid}${where}${since}); ` +
    `quit the other Parley, or start this one with another data folder: --data-dir / PARLEY_DATA_DIR.${elsewhere}`
  )
}

const modeLabels: Record<string, string> = {
  desktop: 'the desktop app',
  browser: 'browser mode',
  headless: 'a headless core: the command line or a test'
}

function formatTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** An unreadable lock younger than this may be one being written (only where hard links are missing): look again. */
const youngTornMs = 1000

/** How often a holder touches its lock (its mtime), so another computer can tell it still runs. */
export const lockRefreshMs = 20_000
/**
 * A lock from another computer not touched for this long is stale: its Parley stopped (a crash, or a host name that
 * changed since, as a laptop's does between networks, or a container started again under a new name).
 */
export const foreignStaleMs = 120_000

/**
 * Takes the data folder's lock, or throws DataFolderInUseError. Synchronous, so nothing else in the core can run
 * before it. A lock left by a process that is gone (a crash, a SIGKILL) or a torn file is taken over.
 */
export function acquireDataLock(dataDir: string, mode: DataLockMode, options: { refreshMs?: number } = {}): DataLock {
  const folder = resolve(dataDir)
  ensureDataFolder(folder)
  const path = join(folder, dataLockFileName)
  const mine = { id: randomUUID(), pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), mode, ...identityOf('self') }
  const content = `${JSON.stringify(mine)}\n`
  // Every pass either wins, is refused, or sees the lock change under it; a folder that keeps changing for seconds
  // (a racer stuck in a loop) is an error, not a hang.
  const deadline = Date.now() + 5000
  for (;;) {
    if (Date.now() > deadline) throw new Error(`Parley could not take the lock ${path}: it kept changing`)
    // Confirm by reading it back: a racer taking over a stale lock may have moved ours aside for an instant.
    if (createExclusive(path, content) && parseLock(readIfPresent(path) ?? '')?.id === mine.id) return held(path, mine.id, options.refreshMs)
    const raw = readIfPresent(path)
    if (raw === undefined) continue // released, or moved aside, between our try and our read: try again
    const holder = parseLock(raw)
    if (holder?.id === mine.id) return held(path, mine.id, options.refreshMs) // ours, put back by that racer
    if (holder && !isStale(holder, modifiedAt(path))) throw new DataFolderInUseError(folder, holder)
    if (!holder && Date.now() - modifiedAt(path) < youngTornMs) {
      sleep(50)
      continue
    }
    takeOver(path, raw)
  }
}

/**
 * The ids of the locks this process holds, shared by every copy of this module in the process (a test runner may load
 * it more than once): a lock with our own pid is ours only if its id is here. Otherwise it was written by an earlier
 * process that had our pid (a crash, then a restart in a fresh pid namespace), and that one is gone.
 */
const heldHere: Set<string> = ((globalThis as { __parleyDataLocksHeld?: Set<string> }).__parleyDataLocksHeld ??= new Set<string>())

function held(path: string, id: string, refreshMs = lockRefreshMs): DataLock {
  let released = false
  heldHere.add(id)
  // Kept fresh while held, so that another computer sharing the folder can tell this Parley still runs.
  const refresh = setInterval(() => {
    try {
      if (parseLock(readIfPresent(path) ?? '')?.id === id) utimesSync(path, new Date(), new Date())
    } catch {
      // A folder gone read-only or away: the next touch tries again; the lock on disk is what it was.
    }
  }, refreshMs)
  refresh.unref()
  const release = (): void => {
    if (released) return
    released = true
    clearInterval(refresh)
    heldHere.delete(id)
    process.off('exit', release)
    const raw = readIfPresent(path)
    // Only our own file: after a takeover by someone who judged us dead, the file is theirs.
    if (raw !== undefined && parseLock(raw)?.id === id) rmSync(path, { force: true })
  }
  // A process that exits without shutting its core down (process.exit, an uncaught error) leaves no lock behind. A
  // signal that kills the process runs no handler; that lock is stale and the next start takes it over.
  process.on('exit', release)
  return { path, release }
}

/**
 * Whether the holder is gone, on this computer: no process has its pid, or the one that has it now is another (our
 * own pid with an id we don't hold, or another boot or start time than the holder wrote). A holder under another host
 * name that wrote this boot's id is on this computer (a container started again under a new name). On another
 * computer, it is gone once its lock has not been touched (`touchedAt`, the file's mtime) for `foreignStaleMs`.
 */
function isStale(holder: DataLockHolder, touchedAt: number): boolean {
  if (holder.hostname !== hostname() && (holder.bootId === undefined || holder.bootId !== identityOf('self')?.bootId)) {
    return Date.now() - touchedAt > foreignStaleMs
  }
  if (holder.pid === process.pid) return holder.id === undefined || !heldHere.has(holder.id)
  try {
    process.kill(holder.pid, 0)
  } catch (error) {
    // EPERM: the process exists but belongs to someone else: alive.
    return errorCode(error) === 'ESRCH'
  }
  const { bootId, startTicks } = holder
  return bootId !== undefined && startTicks !== undefined && isAnotherProcess({ bootId, startTicks }, identityOf(holder.pid))
}

/**
 * Creates the lock with its whole content, or returns false if a lock exists. The content is written and synced to a
 * temp file first and hard-linked into place, so the lock never exists half written: a racer can't mistake a lock
 * being born for a torn one and take it over. Where hard links are missing (FAT, some network shares), an exclusive
 * create then a write; the young-and-unreadable rule in acquireDataLock covers the moment in between.
 */
function createExclusive(path: string, content: string): boolean {
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`
  try {
    writeSynced(temp, content, 'wx')
    try {
      linkSync(temp, path)
      return true
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false
      if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes(errorCode(error) ?? '')) throw error
    }
    try {
      writeSynced(path, content, 'wx')
      return true
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false
      throw error
    }
  } finally {
    rmSync(temp, { force: true })
  }
}

/**
 * Removes a stale lock, but only the one we judged stale. Takeovers are one at a time: each holds the takeover guard
 * (`<lock>.takeover`, made by an exclusive create, so two can't hold it) while it reads the lock again and removes it
 * only if it is still the stale one. A live lock a racer made meanwhile is never moved or removed, so the winner is
 * whoever then creates the new lock (createExclusive), never two. A guard left by a process that died holding it is
 * removed once its holder is gone.
 */
function takeOver(path: string, staleRaw: string): void {
  const guard = `${path}.takeover`
  const mine = `${JSON.stringify({ pid: process.pid, hostname: hostname(), id: randomUUID(), ...identityOf('self') })}\n`
  if (!createExclusive(guard, mine)) {
    const holder = parseLock(readIfPresent(guard) ?? '')
    // A guard whose holder died (or a torn one, old enough) is removed; otherwise the holder finishes soon: try again.
    if (holder ? isStale(holder, modifiedAt(guard)) : Date.now() - modifiedAt(guard) >= youngTornMs) rmSync(guard, { force: true })
    else sleep(5)
    return
  }
  try {
    if (readIfPresent(path) === staleRaw) rmSync(path, { force: true })
  } finally {
    if (readIfPresent(guard) === mine) rmSync(guard, { force: true })
  }
}

function writeSynced(path: string, content: string, flags: 'wx'): void {
  const fd = openSync(path, flags, 0o644)
  try {
    writeSync(fd, content)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function parseLock(raw: string): DataLockHolder | undefined {
  try {
    const parsed = lockFileSchema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw error
  }
}

function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return 0
  }
}

/** Blocks briefly: the lock is taken before the core starts, so there is nothing else to run meanwhile. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined
}
