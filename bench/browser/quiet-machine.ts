import { cpus } from 'node:os'

/** The machine's CPU time so far, summed over its cores (ms): busy, and in all. */
export interface CpuTime {
  readonly busy: number
  readonly total: number
}

export function machineCpuTime(): CpuTime {
  let busy = 0
  let total = 0
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle
    total += all
    busy += all - times.idle
  }
  return { busy, total }
}

/** The share of the machine's CPU that was busy between two readings (0 when no time passed). */
export function busyShare(before: CpuTime, after: CpuTime): number {
  const total = after.total - before.total
  return total > 0 ? (after.busy - before.busy) / total : 0
}

export interface QuietOptions {
  /** Quiet: at most this share of every core's time busy (0.25 of 2 cores: half of one). */
  readonly mostBusy: number
  /** Over windows this long… */
  readonly windowMs: number
  /** …this many in a row. */
  readonly windows: number
  /** Waits no longer than this; the load is measured then, busy or not (and counted as such). */
  readonly mostWaitMs: number
  readonly read?: () => CpuTime
  readonly sleep?: (ms: number) => Promise<void>
  readonly now?: () => number
}

export interface QuietWait {
  readonly waitedMs: number
  /** The last window's busy share. */
  readonly busy: number
  /** False: `mostWaitMs` passed before the machine was quiet. */
  readonly quiet: boolean
}

export const benchQuiet: QuietOptions = { mostBusy: 0.25, windowMs: 200, windows: 2, mostWaitMs: 15_000 }

/**
 * Waits until the machine is quiet: what the last page, main or Chromium's database were still doing (a first
 * opening's 100,000 rows are compacted by LevelDB for seconds after) would otherwise be measured as the next load's.
 * Each load and its baseline then start from the same idle machine. Not a goal's condition: the wait is reported.
 */
export async function waitForQuiet(options: QuietOptions): Promise<QuietWait> {
  const read = options.read ?? machineCpuTime
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const now = options.now ?? (() => performance.now())
  const started = now()
  let calm = 0
  let busy = 0
  let before = read()
  for (;;) {
    await sleep(options.windowMs)
    const after = read()
    busy = busyShare(before, after)
    before = after
    calm = busy <= options.mostBusy ? calm + 1 : 0
    const waitedMs = now() - started
    if (calm >= options.windows) return { waitedMs, busy, quiet: true }
    if (waitedMs >= options.mostWaitMs) return { waitedMs, busy, quiet: false }
  }
}

/** The waits of a run, for its report: how many, how long in all, how many ended busy. */
export class QuietWaits {
  private readonly waits: QuietWait[] = []

  /** `options`: what each wait waited for (the report says it). */
  constructor(private readonly options: QuietOptions = benchQuiet) {}

  add(wait: QuietWait): void {
    this.waits.push(wait)
  }

  summary(): string {
    const total = this.waits.reduce((sum, wait) => sum + wait.waitedMs, 0)
    const busy = this.waits.filter((wait) => !wait.quiet)
    const longest = Math.max(0, ...this.waits.map((wait) => wait.waitedMs))
    const { mostBusy, windows, windowMs, mostWaitMs } = this.options
    return `${this.waits.length} page loads each waited for a quiet machine (≤ ${mostBusy * 100}% CPU busy for ${windows} × ${windowMs} ms): ${(total / 1000).toFixed(1)} s in all, the longest ${(longest / 1000).toFixed(1)} s; ${busy.length} measured busy after ${mostWaitMs / 1000} s`
  }
}
