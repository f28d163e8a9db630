import { thousands as count } from '../../../shared'
import type { RebuildProgress } from '../db/history-rebuild'
import { ExternalStore } from '../external-store'

export { count }

/** What a restore counts: messages, or chats when the history has no messages. */
export function doneOf(progress: RebuildProgress): { done: number; total: number } {
  return progress.totalMessages > 0
    ? { done: progress.messages, total: progress.totalMessages }
    : { done: progress.sessions, total: progress.totalSessions }
}

/** "about 2 minutes left", "about 40 seconds left"; nothing under 5 seconds, or when there is no estimate. */
export function timeLeftText(secondsLeft: number | null): string {
  if (secondsLeft === null || secondsLeft < 5) return ''
  if (secondsLeft >= 90) return `, about ${Math.round(secondsLeft / 60)} minutes left`
  return `, about ${Math.max(10, Math.round(secondsLeft / 10) * 10)} seconds left`
}

/** How far a restore is: "1,200 of 2,040 messages, about 40 seconds left". */
export function restoreCount(progress: RebuildProgress, secondsLeft: number | null = null): string {
  const { done, total } = doneOf(progress)
  const what = progress.totalMessages > 0 ? 'messages' : 'chats'
  return `${count(done)} of ${count(total)} ${what}${timeLeftText(secondsLeft)}`
}

/** What the window says while it rebuilds its history from main: "Restoring your chats… 1,200 of 2,040 messages". */
export function restoreText(progress: RebuildProgress | undefined, secondsLeft: number | null = null): string {
  return progress ? `Restoring your chats… ${restoreCount(progress, secondsLeft)}` : 'Restoring your chats…'
}

/** The rebuild's progress so far, and how long the rest should take at the pace since the first page (null: too soon). */
export interface RestoreState {
  progress: RebuildProgress
  secondsLeft: number | null
}

/** An estimate is shown once the restore has run this long and done this share: earlier ones jump about. */
const estimateAfter = { ms: 3_000, share: 0.02 }

/**
 * The pace is taken over about this long, not since the start: a copy slows as the browser's database grows (and
 * while the window is drawn beside it), and the pace of its first minute said "about 20 seconds left" for a minute.
 */
const paceOverMs = 15_000

/** The rebuild's progress, for the restoring screen (undefined until the first page is written). */
export class RestoreProgress extends ExternalStore<RestoreState | undefined> {
  private first: { at: number; done: number } | undefined
  /** Recent reports, oldest first: one from before the pace's span, and those within it. */
  private recent: { at: number; done: number }[] = []

  constructor(private readonly now: () => number = () => performance.now()) {
    super(undefined)
  }

  take(progress: RebuildProgress): void {
    const at = this.now()
    const { done, total } = doneOf(progress)
    this.first ??= { at, done }
    this.recent.push({ at, done })
    // Keep the last report before the span as the pace's start.
    while (this.recent.length > 2 && (this.recent[1]?.at ?? at) <= at - paceOverMs) this.recent.shift()
    const from = this.recent[0] ?? { at, done }
    const elapsed = at - this.first.at
    const rate = at > from.at ? (done - from.done) / (at - from.at) : 0
    const estimated = elapsed >= estimateAfter.ms && done >= total * estimateAfter.share && rate > 0
    this.replace({ progress, secondsLeft: estimated ? (total - done) / rate / 1000 : null })
  }
}
