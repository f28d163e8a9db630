/** Readers waiting until history has taken in every event through some seq (rule B2). */
export class SeqWaiters {
  private waiting: { seq: number; resolve: () => void }[] = []

  /** Resolves once `wake` has been told of a seq at or past `seq`; at once if `applied` already is. */
  until(seq: number, applied: number): Promise<void> {
    if (applied >= seq) return Promise.resolve()
    return new Promise<void>((resolve) => this.waiting.push({ seq, resolve }))
  }

  /** History has taken in every event through `applied`: the readers waiting for it go on. */
  wake(applied: number): void {
    if (this.waiting.length === 0) return
    const ready = this.waiting.filter((w) => w.seq <= applied)
    if (ready.length === 0) return
    this.waiting = this.waiting.filter((w) => w.seq > applied)
    for (const waiter of ready) waiter.resolve()
  }
}
