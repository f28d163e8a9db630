/** One prompt's place in the window's line (`PromptOrder.join`). */
export interface PromptPlace {
  /** Settles once every prompt that joined before this one has gone to main (or given up). */
  readonly turn: Promise<void>
  /** This prompt's call has gone to main, or it never will: the prompts behind it may go. Harmless twice. */
  gone(): void
}

/**
 * Prompts leave the window for main in the order they were sent (rule C1: they run in that order). A prompt can wait
 * before its call goes out: for its chat to be made (the first prompt of a new chat waits for main's answer to
 * `createSession`), or for its chat's deletions to be sent. A prompt sent meanwhile must not overtake it. It did: the
 * new chat's `session.created` reached the window before main's answer to `createSession` (30–155 ms before, measured
 * in browser mode), the window showed the chat, and the next prompt, sent to it straight away, was queued first.
 *
 * A prompt waits only until the ones before it have gone, not for main's answers to them: calls over one bridge are
 * read by main in the order they were sent.
 */
export class PromptOrder {
  private last: Promise<void> = Promise.resolve()

  join(): PromptPlace {
    const turn = this.last
    let release!: () => void
    const gone = new Promise<void>((resolve) => (release = resolve))
    // The next prompt waits for this one and for every one before it: one that gave up early lets no one jump the line.
    this.last = Promise.all([turn, gone]).then(() => undefined)
    return { turn, gone: () => release() }
  }
}
