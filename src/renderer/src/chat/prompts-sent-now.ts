/**
 * The prompts this window sent to a chat that wasn't busy, by runId: they run at once, and the chat list comes down to
 * them wherever the reader was (`useNewPromptFollowed`). A prompt that waited in the queue, or one sent from another
 * window or the command line, starts while the reader may be reading higher up: the list follows it only if it was
 * following. Keeps the newest `kept`.
 */
export class PromptsSentNow {
  private readonly runs = new Set<string>()

  constructor(private readonly kept = 100) {}

  note(runId: string): void {
    this.runs.add(runId)
    for (const oldest of this.runs) {
      if (this.runs.size <= this.kept) break
      this.runs.delete(oldest)
    }
  }

  /** Main queued it after all (the window hadn't heard yet that the chat was busy): it starts later, as any queued prompt. */
  forget(runId: string): void {
    this.runs.delete(runId)
  }

  has(runId: string): boolean {
    return this.runs.has(runId)
  }
}

/** The window's one record (the composer notes, the chat list reads). */
export const promptsSentNow = new PromptsSentNow()
