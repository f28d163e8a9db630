import type { RunComplete } from '../../shared'

/**
 * `parley`'s exit statuses (the issue's list; 124 as timeout(1) uses it, and 128 + the signal as shells report a
 * process a signal ended: 129 SIGHUP, 130 SIGINT, 141 SIGPIPE for a reader that closed stdout, 143 SIGTERM).
 */
export const exitCodes = {
  done: 0,
  failed: 1,
  usage: 2,
  timedOut: 124,
  hungUp: 129,
  interrupted: 130,
  outputClosed: 141,
  terminated: 143
} as const
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes]

/** How a run that ended ends the command: its status, and the sentence for stderr when it did not finish. */
export function exitFor(complete: RunComplete): { code: ExitCode; problem: string | null } {
  if (complete.error !== undefined) return { code: exitCodes.failed, problem: complete.error }
  if (complete.cancelled) return { code: exitCodes.failed, problem: 'The run was cancelled.' }
  return { code: exitCodes.done, problem: null }
}
