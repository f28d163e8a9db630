import { ExternalStore } from '../external-store'

/** How long a deletion can be undone before it is sent to main. */
export const undoMs = 10_000

/** A deletion waiting out its Undo time: a whole chat, or a message with the branch below it. */
export type PendingDelete =
  | { kind: 'chat'; id: string; sessionId: string; title: string }
  | { kind: 'messages'; id: string; sessionId: string; messageId: string }

interface Timers {
  setTimeout: (run: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}

interface Scheduled {
  entry: PendingDelete
  handle: unknown
  commit: () => Promise<void>
}

/**
 * Deletions with Undo: what is deleted disappears from the window at once, and is sent to main (which purges it from
 * its log and from IndexedDB) only once `undoMs` have passed without Undo. Until then nothing has left either store,
 * so Undo loses nothing. A deletion main refuses comes back into view. Leaving the page sends what is pending.
 */
export class PendingDeletes extends ExternalStore<ReadonlySet<string>> {
  private readonly scheduled = new Map<string, Scheduled>()
  /** Per chat, the deletions a new prompt sent before it waits for. */
  private readonly committing = new Map<string, Promise<void>>()

  constructor(
    private readonly onFailed: (entry: PendingDelete, error: unknown) => void,
    private readonly timers: Timers = {
      setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>)
    }
  ) {
    super(new Set())
  }

  /** Hides `entry.id` at once and runs `commit` after the Undo time, unless undone first. */
  schedule(entry: PendingDelete, commit: () => Promise<void>): void {
    if (this.scheduled.has(entry.id)) return
    const handle = this.timers.setTimeout(() => void this.commit(entry.id), undoMs)
    this.scheduled.set(entry.id, { entry, handle, commit })
    this.hide(entry.id)
  }

  /** Undo: the deletion is dropped and the thing comes back. False when it was already sent. */
  undo(id: string): boolean {
    const scheduled = this.scheduled.get(id)
    if (!scheduled) return false
    this.timers.clearTimeout(scheduled.handle)
    this.scheduled.delete(id)
    this.show(id)
    return true
  }

  /** Sends every pending deletion now (the page is going away). */
  commitAll(): void {
    for (const id of [...this.scheduled.keys()]) void this.commit(id)
  }

  /**
   * Sends one chat's pending deletions now; the promise settles when main has them (a refused one is back in view).
   * A new prompt in that chat ends their Undo time, so its turn never sees what the window no longer shows.
   * Undefined when there is nothing to wait for, so a prompt with nothing pending is sent without a pause, and
   * prompts sent meanwhile wait on the same promise: they resume in the order they were sent.
   */
  commitSession(sessionId: string): Promise<void> | undefined {
    const ids = [...this.scheduled.values()].filter((scheduled) => scheduled.entry.sessionId === sessionId).map((s) => s.entry.id)
    const before = this.committing.get(sessionId)
    if (ids.length === 0) return before
    const all = Promise.all([before, ...ids.map((id) => this.commit(id))]).then(() => undefined)
    this.committing.set(sessionId, all)
    void all.finally(() => {
      if (this.committing.get(sessionId) === all) this.committing.delete(sessionId)
    })
    return all
  }

  pending(): PendingDelete[] {
    return [...this.scheduled.values()].map((scheduled) => scheduled.entry)
  }

  private commit(id: string): Promise<void> {
    const scheduled = this.scheduled.get(id)
    if (!scheduled) return Promise.resolve()
    this.timers.clearTimeout(scheduled.handle)
    this.scheduled.delete(id)
    // It stays hidden: main's events remove it from IndexedDB, and it must not flash back before they arrive.
    return scheduled.commit().catch((error: unknown) => {
      this.show(id)
      this.onFailed(scheduled.entry, error)
    })
  }

  private hide(id: string): void {
    this.replace(new Set([...this.getSnapshot(), id]))
  }

  private show(id: string): void {
    const next = new Set(this.getSnapshot())
    next.delete(id)
    this.replace(next)
  }
}
