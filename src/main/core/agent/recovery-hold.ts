/** How long main holds recovered queued prompts for a window at most, by default (PARLEY_RECOVERY_HOLD_MS). */
export const defaultRecoveryHoldMs = 2_000

export interface RecoveryHoldOptions {
  /** The longest the hold lasts; 0 holds nothing (a core no window reaches: headless, the command line's). */
  holdMs: number
  /** Ends the hold: the held queues start their heads (`SessionQueues.releaseHeld`). */
  release: () => void
}

/**
 * A-rule (A8): after a restart, recovered queued prompts start once a window has had the chance to withdraw them, at
 * most `holdMs` (2 s) after main starts. A person who removed a queued chip (or pressed Stop) while main was down, or
 * just before it died, has that removal kept by the window (`kept-removals.ts`) and sent again once it reaches the new
 * main; without the hold the new main had already started the head of its queue by then, and the removed prompt was
 * asked of the model. The window says it has sent its kept removals (`windowReady`), which ends the hold at once; no
 * window within `holdMs` ends it too, so a restart with no window waits at most that long.
 *
 * Only a start that brought queued prompts back holds, and only their chats. The clock starts when recovery does,
 * just before main listens.
 */
export class RecoveryHold {
  private timer: ReturnType<typeof setTimeout> | undefined
  private holding = false

  constructor(private readonly options: RecoveryHoldOptions) {}

  /** Whether recovered prompts are to be held: the core waits for a window (holdMs > 0). */
  get holds(): boolean {
    return this.options.holdMs > 0
  }

  /** Recovered prompts are held from now: the hold ends at the window's word or after `holdMs`. */
  begin(): void {
    if (!this.holds || this.holding) return
    this.holding = true
    this.timer = setTimeout(() => this.end(), this.options.holdMs)
    // Never what keeps a process alive: a shutdown ends the hold, and a core that leaves keeps the prompts (G1).
    this.timer.unref()
  }

  /** A window sent the removals it kept (`windowReady`): the hold ends now. Later ones change nothing. */
  windowReady(): void {
    this.end()
  }

  /** Shutdown: the hold's clock stops, and the held prompts stay in the journal for the next start (D6, G1). */
  dispose(): void {
    this.stopClock()
    this.holding = false
  }

  private end(): void {
    if (!this.holding) return
    this.dispose()
    this.options.release()
  }

  private stopClock(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
