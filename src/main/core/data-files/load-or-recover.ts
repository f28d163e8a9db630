import { copyFileSync, readFileSync, renameSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import type { DataRecovery } from '../../../shared'

/** What a file's salvage kept of what it read: the value to use, and how many entries were left out. */
export interface Salvaged<T> {
  value: T
  /** Entries kept from the file. */
  kept: number
  /** Entries in the file that were not valid and were left out. */
  lost: number
  /** What was wrong with the entries left out (one line; empty when none were). */
  problem: string
}

export interface FileLoad<T> {
  value: T
  /** Set when the file was damaged: what was kept, what was lost, and where the damaged file was copied. */
  recovery: DataRecovery | undefined
}

export interface RecoverOptions<T> {
  /** The value when the file is absent, or nothing in it can be used. */
  empty: T
  /** Keeps every valid entry of the parsed JSON. Throws when even its shape is unusable (then everything is lost). */
  salvage: (raw: unknown) => Salvaged<T>
  /** Above this a file is not read (a damaged or hostile file must not take main's memory). */
  maxBytes: number
  /** For the backup's name; tests fix it. */
  now?: () => number
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim()

function errorText(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error))
}

/**
 * Every file main reads at start goes through here: absent is empty; a damaged one (unreadable, a directory, too big,
 * not JSON, the wrong shape, some bad entries) is copied aside as `<name>.corrupt-<time>` before anything overwrites
 * it, every valid entry is kept, and the recovery says what was kept and lost, for the window's banner. It never
 * throws for the file's content: a damaged file must not keep Parley from starting.
 */
export function loadOrRecover<T>(path: string, options: RecoverOptions<T>): FileLoad<T> {
  const now = options.now ?? Date.now
  const file = basename(path)
  const backupPath = `${path}.corrupt-${now()}`
  const lostAll = (reason: string, backup: string): FileLoad<T> => ({
    value: options.empty,
    recovery: { file, backupPath: backup, reason, kept: 0, lost: 1 }
  })

  let size: number
  let isFile: boolean
  try {
    const stats = statSync(path)
    size = stats.size
    isFile = stats.isFile()
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return { value: options.empty, recovery: undefined }
    return lostAll(`it could not be read (${errorText(error)})`, '')
  }
  if (!isFile) {
    // Moved aside, so the next save can write the file (a directory in its place would fail every save).
    return lostAll('it is not a file', moveAside(path, backupPath))
  }
  if (size > options.maxBytes) {
    return lostAll(`it is ${megabytes(size)}, over the ${megabytes(options.maxBytes)} Parley reads`, moveAside(path, backupPath))
  }
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    return lostAll(`it could not be read (${errorText(error)})`, moveAside(path, backupPath))
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    return lostAll(`it is not JSON (${errorText(error)})`, copyAside(path, backupPath))
  }
  let salvaged: Salvaged<T>
  try {
    salvaged = options.salvage(raw)
  } catch (error) {
    return lostAll(`it does not have the expected shape (${errorText(error)})`, copyAside(path, backupPath))
  }
  if (salvaged.lost === 0) return { value: salvaged.value, recovery: undefined }
  return {
    value: salvaged.value,
    recovery: { file, backupPath: copyAside(path, backupPath), reason: oneLine(salvaged.problem), kept: salvaged.kept, lost: salvaged.lost }
  }
}

/** Whether a Node file-system error has this code (ENOENT, EISDIR…). */
export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && Reflect.get(error, 'code') === code
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`
}

/** A copy of the damaged file, kept; '' when even that failed (the banner then says it was left in place). */
function copyAside(path: string, backupPath: string): string {
  try {
    copyFileSync(path, backupPath)
    return backupPath
  } catch {
    return ''
  }
}

/** Moves a damaged file or folder aside, kept; '' when even that failed. */
export function moveAside(path: string, backupPath: string): string {
  try {
    renameSync(path, backupPath)
    return backupPath
  } catch {
    return ''
  }
}
