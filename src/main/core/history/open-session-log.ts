import { statSync } from 'node:fs'
import { basename } from 'node:path'
import type { DataRecovery } from '../../../shared'
import { isErrno, moveAside } from '../data-files/load-or-recover'
import { checkLmdbStore } from './lmdb-file-check'
import { SessionLog, type SessionLogOptions } from './session-log'
import { StoreGenerations } from './store-generations'

export interface SessionLogLoad {
  log: SessionLog
  /** Set when the log was damaged: it was moved aside and a new, empty one opened. */
  recovery: DataRecovery | undefined
}

/**
 * The session log through the same "load or recover" path as every other file main reads
 * (data-files/load-or-recover.ts): a log that is not a folder, whose store is not sound (checked before lmdb maps it:
 * lmdb crashes the process on some damage), or that lmdb refuses to open, is moved aside whole as
 * `session-log.corrupt-<time>`, a new one is opened in its place, and the recovery tells the window's banner (which
 * says what a new log means). Throws only if the damaged log cannot be moved aside or a new log cannot be opened.
 */
export async function openSessionLogOrRecover(path: string, options: SessionLogOptions = {}, now: () => number = Date.now): Promise<SessionLogLoad> {
  const problem = await tryOpen(path, options)
  if (problem.kind === 'opened') return { log: problem.log, recovery: undefined }
  const backupPath = moveAside(path, `${path}.corrupt-${now()}`)
  // Opening the damaged store again could crash the process: refuse to start, with what to do.
  if (!backupPath) throw new Error(`Parley's message store at ${path} is damaged (${problem.reason}) and could not be moved aside: move or remove it, then start Parley again.`)
  const log = await SessionLog.open(path, options)
  return { log, recovery: { file: basename(path), backupPath, reason: problem.reason, kept: 0, lost: 1 } }
}

type Attempt = { kind: 'opened'; log: SessionLog } | { kind: 'damaged'; reason: string }

async function tryOpen(path: string, options: SessionLogOptions): Promise<Attempt> {
  try {
    if (!statSync(path).isDirectory()) return { kind: 'damaged', reason: 'it is not a folder' }
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) return { kind: 'damaged', reason: `it could not be read (${errorText(error)})` }
    // Absent: a new log, as on a first start.
  }
  const check = checkLmdbStore(new StoreGenerations(path).current)
  if (check.kind === 'damaged') return check
  try {
    return { kind: 'opened', log: await SessionLog.open(path, options) }
  } catch (error) {
    return { kind: 'damaged', reason: `it could not be opened (${errorText(error)})` }
  }
}


function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()
}
