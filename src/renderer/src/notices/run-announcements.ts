import type { ParleyEvent, RunComplete } from '../../../shared'
import { ExternalStore } from '../external-store'

/** What a screen reader is told as a run ends: the chat it was in, and one sentence. */
export interface RunAnnouncement {
  sessionId: string
  text: string
  /** Counts the announcements: the same sentence twice in a row is still said twice (`RunAnnouncer`). */
  serial: number
}

/**
 * The last run that ended, as a sentence for a screen reader (the answer itself is in the chat): done, stopped,
 * failed or empty. Streaming says nothing per token; only the end is told, once, as its RunComplete is heard.
 */
export class RunAnnouncements extends ExternalStore<RunAnnouncement | undefined> {
  constructor() {
    super(undefined)
  }

  take = (event: ParleyEvent): void => {
    if (event.type !== 'run.complete') return
    const serial = (this.getSnapshot()?.serial ?? 0) + 1
    this.replace({ sessionId: event.complete.sessionId, text: announcementOf(event.complete), serial })
  }
}

export function announcementOf(complete: RunComplete): string {
  if (complete.cancelled) return 'The answer was stopped.'
  if (complete.error !== undefined) return `The answer failed: ${complete.error}`
  if (complete.text.trim() === '') return 'The answer came back empty.'
  return 'The answer is in.'
}
