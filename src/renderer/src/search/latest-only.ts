/**
 * Runs the latest of a stream of asks, one at a time: an ask made while one runs waits (replacing any other waiting
 * one), and the running one's answer is dropped when a newer ask is waiting. Typing "journal" fast runs at most two
 * searches, not seven, and never shows an older query's results after a newer one's.
 */
export class LatestOnly<T> {
  private running = false
  private waiting: { run: () => Promise<T>; done: (value: T) => void; failed: (error: unknown) => void } | undefined
  /** Bumped by `stop`: an answer to an ask from before it is dropped. */
  private generation = 0

  ask(run: () => Promise<T>, done: (value: T) => void, failed: (error: unknown) => void = () => undefined): void {
    this.waiting = { run, done, failed }
    if (!this.running) void this.next()
  }

  /** Nothing asked so far is answered any more (asks after it are: React may stop and start an effect again). */
  stop(): void {
    this.generation += 1
    this.waiting = undefined
  }

  private async next(): Promise<void> {
    const ask = this.waiting
    if (!ask) return
    const generation = this.generation
    this.waiting = undefined
    this.running = true
    let outcome: { ok: true; value: T } | { ok: false; error: unknown }
    try {
      outcome = { ok: true, value: await ask.run() }
    } catch (error) {
      outcome = { ok: false, error }
    }
    this.running = false
    if (this.waiting) return this.next()
    if (generation !== this.generation) return
    if (outcome.ok) ask.done(outcome.value)
    else ask.failed(outcome.error)
  }
}
