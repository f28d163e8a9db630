import type { RunLoadingStatus, RunRetryStatus } from './api'
import type { ParleyEvent } from './events'

/**
 * What a chat's active run waits on before its first token: a rate limit's next try (`run.retrying`, rule C4) and its
 * model being loaded into memory (`run.loading`, C6). Both may be set; a window shows the retry's countdown first.
 */
export interface RunWaits {
  retry: RunRetryStatus | undefined
  loading: RunLoadingStatus | undefined
}

export const noRunWaits: RunWaits = { retry: undefined, loading: undefined }

/** The chat an event that moves a run's waits is about; undefined for every other event. */
export function runWaitsSession(event: ParleyEvent): string | undefined {
  switch (event.type) {
    case 'run.retrying':
    case 'run.loading':
    case 'run.started':
    case 'session.busy':
    case 'session.deleted':
      return event.sessionId
    case 'run.complete':
      return event.complete.sessionId
    case 'message.created':
      return event.message.sessionId
    default:
      return undefined
  }
}

/**
 * A chat's waits after one of its events (main's `status()` and the window keep them by this one rule): a retry
 * replaces the loading sentence and a loading sentence keeps its run's retry; both go when the waiting run's answer is
 * created (its first token) or it completes, when a run starts, and when the chat is no longer busy or is deleted.
 */
export function runWaitsAfter(waits: RunWaits, event: ParleyEvent): RunWaits {
  switch (event.type) {
    case 'run.retrying':
      return {
        retry: {
          runId: event.runId,
          attempt: event.attempt,
          retryAt: event.at + event.retryInSeconds * 1000,
          detail: event.detail,
          ...(event.status !== undefined ? { status: event.status } : {})
        },
        loading: undefined
      }
    case 'run.loading':
      return { retry: waits.retry?.runId === event.runId ? waits.retry : undefined, loading: { runId: event.runId, detail: event.detail } }
    case 'message.created':
      return event.message.role === 'assistant' ? endedRun(waits, event.message.runId) : waits
    case 'run.complete':
      return endedRun(waits, event.complete.runId)
    case 'run.started':
    case 'session.deleted':
      return noRunWaits
    case 'session.busy':
      return event.busy ? waits : noRunWaits
    default:
      return waits
  }
}

/** The waits once run `runId` answers or ends: none if they were its. */
function endedRun(waits: RunWaits, runId: string): RunWaits {
  return waits.retry?.runId === runId || waits.loading?.runId === runId ? noRunWaits : waits
}
