/** The most often a message's deltas are published (rule B3). */
export const deltaIntervalMs = 30

export interface PendingDelta {
  text: string
  reasoning: string
}

/**
 * Gathers a message's text and reasoning deltas and hands them on at most about once every `intervalMs`: the first
 * delta at once, later ones in batches, by the clock (a delta due hands on everything pending; the timer only hands
 * on what waits when no more deltas come). `flush()` hands on whatever is pending (at the end of a message).
 */
export class DeltaCoalescer {
  private text = ''
  private reasoning = ''
  private lastFlush = -Infinity
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly emit: (delta: PendingDelta) => void,
    private readonly intervalMs = deltaIntervalMs,
    private readonly now: () => number = Date.now
  ) {}

  add(kind: 'text' | 'reasoning', chunk: string): void {
    if (!chunk) return
    if (kind === 'text') this.text += chunk
    else this.reasoning += chunk
    // Due now, even with its timer still waiting: a provider faster than main keeps the thread reading (a socket's
    // buffered bytes are read and parsed in one turn of the event loop, timers wait for the next), and the answer
    // would otherwise reach the window in one piece at the end.
    const wait = this.lastFlush + this.intervalMs - this.now()
    if (wait <= 0) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), wait)
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (!this.text && !this.reasoning) return
    const delta = { text: this.text, reasoning: this.reasoning }
    this.text = ''
    this.reasoning = ''
    this.lastFlush = this.now()
    this.emit(delta)
  }
}
