import type { RunComplete } from '../../shared'

/**
 * `parley`'s exit statuses (the issue's list; 69 as sysexits.h's EX_UNAVAILABLE, "a service is unavailable", for the
 * model server `--fail-fast` could not reach; 124 as timeout(1) uses it, and 128 + the signal as shells report a
 * process a signal ended: 129 SIGHUP, 130 SIGINT, 141 SIGPIPE for a reader that closed stdout, 143 SIGTERM).
 */
export const exitCodes = {
  done: 0,
  failed: 1,
  usage: 2,
  serverUnreachable: 69,
  timedOut: 124,
  hungUp: 129,
  interrupted: 130,
  outputClosed: 141,
  terminated: 143
} as const
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes]

/** A run a crash or a quit of Parley cut off (G2: its RunComplete says `error: "interrupted"`); the window's words (run-state.ts). */
export const interruptedSentence =
  'Parley closed before this answer finished (interrupted); what was printed is what had arrived. Run the prompt again for a whole answer.'

/** How a run that ended ends the command: its status, and the sentence for stderr when it did not finish. */
export function exitFor(complete: RunComplete, seen: { chatDeleted: boolean } = { chatDeleted: false }): { code: ExitCode; problem: string | null } {
  // G2's wire word, said in full: the rest of the errors are sentences already.
  if (complete.error === 'interrupted') return { code: exitCodes.failed, problem: interruptedSentence }
  if (complete.error !== undefined) return { code: exitCodes.failed, problem: complete.error }
  if (complete.cancelled && seen.chatDeleted) {
    return { code: exitCodes.failed, problem: 'The chat was deleted (in the app or by another command), so the run was cancelled.' }
  }
  if (complete.cancelled) return { code: exitCodes.failed, problem: 'The run was cancelled (stopped in the app or by another command).' }
  return { code: exitCodes.done, problem: null }
}
