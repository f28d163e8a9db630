import type { RebuildProgress } from '../db/history-rebuild'
import { ExternalStore } from '../external-store'

/**
 * 1,234,567: thousands separated by hand. `toLocaleString` loads the browser's number formats on its first call, a
 * 312 ms task in the middle of a rebuild under load (bench/browser, decisions.md).
 */
export const count = (n: number): string => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')

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
