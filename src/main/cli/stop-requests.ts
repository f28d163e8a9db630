import { exitCodes, type ExitCode } from './exit-codes'

/**
 * Why the person (or the system) asks the command to stop: Ctrl+C, SIGTERM, its terminal closed (SIGHUP), or a reader
 * that closed stdout.
 */
export type StopReason = 'interrupt' | 'terminate' | 'hang-up' | 'output-closed'

/** The status a command stopped this way exits with (129, 130 and 143 as shells report SIGHUP, SIGINT and SIGTERM; 141 SIGPIPE). */
export function exitCodeFor(reason: StopReason): ExitCode {
  switch (reason) {
    case 'interrupt':
      return exitCodes.interrupted
    case 'terminate':
      return exitCodes.terminated
    case 'hang-up':
      return exitCodes.hungUp
    case 'output-closed':
      return exitCodes.outputClosed
  }
}

/**
 * The stop requests a command hears, counted: the first stops its own run; one more, while it waits for others'
 * answers before leaving the data folder, makes it leave at once.
 */
export class StopRequests {
  private readonly heard: StopReason[] = []
  private readonly waiting: { nth: number; resolve: (reason: StopReason) => void }[] = []

  request(reason: StopReason): void {
    this.heard.push(reason)
    for (const waiter of this.waiting.splice(0)) {
      const reasonHeard = this.heard[waiter.nth - 1]
      if (reasonHeard === undefined) this.waiting.push(waiter)
      else waiter.resolve(reasonHeard)
    }
  }

  /** How many requests came so far. */
  get count(): number {
    return this.heard.length
  }

  /** Resolves with the `nth` request (1 is the first), at once if it came already. */
  nth(nth: number): Promise<StopReason> {
    const reason = this.heard[nth - 1]
    if (reason !== undefined) return Promise.resolve(reason)
    return new Promise((resolve) => this.waiting.push({ nth, resolve }))
  }
}

/** The parts of `process` the command listens on. */
export interface StopSources {
  on(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void): unknown
  stdout: { on(event: 'error', listener: (error: Error) => void): unknown }
  stderr: { on(event: 'error', listener: (error: Error) => void): unknown }
}

/**
 * Ctrl+C, SIGTERM (`timeout`, a service manager) and a stdout whose reader went away (`parley run … | head`, an
 * EPIPE) each become a stop request, so the command cancels its run and releases the data folder instead of dying
 * mid-answer. A stderr that fails is left unheard: nothing could be told there anyway.
 */
export function listenForStops(sources: StopSources): StopRequests {
  const stops = new StopRequests()
  sources.on('SIGINT', () => stops.request('interrupt'))
  sources.on('SIGTERM', () => stops.request('terminate'))
  // The terminal it ran in was closed: as Ctrl+C, rather than dying mid-answer with the folder's lock held.
  sources.on('SIGHUP', () => stops.request('hang-up'))
  let outputClosed = false
  sources.stdout.on('error', () => {
    if (outputClosed) return
    outputClosed = true
    stops.request('output-closed')
  })
  sources.stderr.on('error', () => {})
  return stops
}
