import { noRunWaits, runWaitsAfter, runWaitsSession, type ParleyEvent, type RunLoadingStatus, type RunRetryStatus, type RunWaits as Waits } from '../../../shared'

/** What one chat's active run is waiting on before its first token, as `status()` carries it (absent: nothing). */
export interface RunWait {
  retry?: RunRetryStatus
  loading?: RunLoadingStatus
}

/**
 * What each chat's active run waits on before its answer starts, fed main's events as they are published, so
 * `status()` can carry them: a window reloaded meanwhile (or `parley status`) says what a window that saw the events
 * says, instead of "Waiting for the model…". Kept by the same rule as the window's (`runWaitsAfter`, shared).
 */
export class RunWaits {
  private readonly waits = new Map<string, Waits>()

  take = (event: ParleyEvent): void => {
    const sessionId = runWaitsSession(event)
    if (sessionId === undefined) return
    const next = runWaitsAfter(this.waits.get(sessionId) ?? noRunWaits, event)
    if (next.retry === undefined && next.loading === undefined) this.waits.delete(sessionId)
    else this.waits.set(sessionId, next)
  }

  /** What the chat's run `runId` waits on now; nothing once its answer started, or for any other run. */
  of(sessionId: string, runId: string | undefined): RunWait {
    const wait = this.waits.get(sessionId)
    if (!wait || runId === undefined) return {}
    return {
      ...(wait.retry?.runId === runId ? { retry: wait.retry } : {}),
      ...(wait.loading?.runId === runId ? { loading: wait.loading } : {})
    }
  }
}
