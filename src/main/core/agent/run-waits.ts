import type { ParleyEvent, RunLoadingStatus, RunRetryStatus } from '../../../shared'

/** What one chat's active run is waiting on before its first token. */
export interface RunWait {
  retry?: RunRetryStatus
  loading?: RunLoadingStatus
}

/**
 * What each chat's active run waits on before its answer starts, as its events said: a rate limit's next try
 * (`run.retrying`, rule C4) and its model being loaded into memory (`run.loading`, C6). Fed main's events as they are
 * published, so `status()` can carry them: a window reloaded meanwhile (or `parley status`) says what a window that
 * saw the events says, instead of "Waiting for the model…".
 *
 * Kept as the window keeps them (session-activity.ts): a retry replaces the loading sentence; both go when the run's
 * answer is created (its first token), when a run starts or completes, and when the chat is no longer busy or deleted.
 */
export class RunWaits {
  private readonly waits = new Map<string, RunWait>()

  take = (event: ParleyEvent): void => {
    switch (event.type) {
      case 'run.retrying':
        this.waits.set(event.sessionId, {
          retry: {
            runId: event.runId,
            attempt: event.attempt,
            retryAt: event.at + event.retryInSeconds * 1000,
            detail: event.detail,
            ...(event.status !== undefined ? { status: event.status } : {})
          }
        })
        return
      case 'run.loading': {
        const wait = this.waits.get(event.sessionId)
        const retry = wait?.retry?.runId === event.runId ? wait.retry : undefined
        this.waits.set(event.sessionId, { ...(retry ? { retry } : {}), loading: { runId: event.runId, detail: event.detail } })
        return
      }
      case 'message.created':
        if (event.message.role === 'assistant') this.endRun(event.message.sessionId, event.message.runId)
        return
      case 'run.started':
        this.waits.delete(event.sessionId)
        return
      case 'run.complete':
        this.endRun(event.complete.sessionId, event.complete.runId)
        return
      case 'session.busy':
        if (!event.busy) this.waits.delete(event.sessionId)
        return
      case 'session.deleted':
        this.waits.delete(event.sessionId)
        return
      default:
        return
    }
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

  private endRun(sessionId: string, runId: string): void {
    const wait = this.waits.get(sessionId)
    if (wait && (wait.retry?.runId === runId || wait.loading?.runId === runId)) this.waits.delete(sessionId)
  }
}
