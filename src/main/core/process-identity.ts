import { readFileSync } from 'node:fs'

/**
 * Which process a pid is, beyond its number: the boot it runs in and the moment it started (in clock ticks since
 * that boot). A pid is reused once its process is gone (after a wrap-around, or at once in a fresh container's pid
 * namespace, where the same start order gives the same pids), so "a process with this pid lives" does not say the
 * process that wrote a lock lives; its identity does. Linux only (read from /proc); elsewhere `undefined`.
 */
export interface ProcessIdentity {
  readonly bootId: string
  readonly startTicks: number
}

/** Where /proc is: a seam for tests. */
export interface ProcReader {
  read(path: string): string
}

const procFiles: ProcReader = { read: (path) => readFileSync(path, 'utf8') }

/** The identity of `pid` now, or `undefined` when it can't be read (no such process, no /proc, another platform). */
export function identityOf(pid: number | 'self', proc: ProcReader = procFiles): ProcessIdentity | undefined {
  if (process.platform !== 'linux' && proc === procFiles) return undefined
  try {
    const bootId = proc.read('/proc/sys/kernel/random/boot_id').trim()
    const startTicks = startTicksOf(proc.read(`/proc/${pid}/stat`))
    return bootId !== '' && startTicks !== undefined ? { bootId, startTicks } : undefined
  } catch {
    return undefined
  }
}

/**
 * Field 22 of /proc/PID/stat, the start time. The second field, the command's name in parentheses, may itself hold
 * spaces and parentheses, so fields are counted from the last `)`: the state after it is field 3.
 */
export function startTicksOf(stat: string): number | undefined {
  const afterName = stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/)
  const value = Number(afterName[22 - 3])
  return stat.includes(')') && Number.isSafeInteger(value) && value >= 0 ? value : undefined
}

/** Whether the process now at a pid is provably not the one recorded: another boot, or another start. */
export function isAnotherProcess(recorded: ProcessIdentity, now: ProcessIdentity | undefined): boolean {
  if (now === undefined) return false
  return recorded.bootId !== now.bootId || recorded.startTicks !== now.startTicks
}
