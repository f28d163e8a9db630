import { thousands as count } from '../../../shared'
import type { RebuildProgress } from '../db/history-rebuild'
import { ExternalStore } from '../external-store'

export { count }

/** What the window says while it rebuilds its history from main: "Restoring your chats… 1,200 of 2,040 messages". */
export function restoreText(progress: RebuildProgress | undefined): string {
  if (!progress) return 'Restoring your chats…'
  if (progress.totalMessages === 0) return `Restoring your chats… ${count(progress.sessions)} of ${count(progress.totalSessions)} chats`
  return `Restoring your chats… ${count(progress.messages)} of ${count(progress.totalMessages)} messages`
}

/** The rebuild's progress, for the restoring screen (undefined until the first page is written). */
export class RestoreProgress extends ExternalStore<RebuildProgress | undefined> {
  constructor() {
    super(undefined)
  }

  take(progress: RebuildProgress): void {
    this.replace(progress)
  }
}
