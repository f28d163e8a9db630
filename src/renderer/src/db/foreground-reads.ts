/**
 * Reads someone is waiting for go first. IndexedDB serves one database's requests in turn, so a search typed while
 * the sidebar reads 50,000 chats in pieces, or while the indexer writes a chunk, waited behind each of their requests:
 * the first search after a start took 0.6–0.7 s instead of ~40 ms (issue 11). Work that can wait (the sidebar's
 * reading after its first screenful, the indexer's passes) calls `idle()` between its pieces and goes on only when
 * no foreground read is in flight.
 */
export class ForegroundReads {
  private inFlight = 0
  private waiting: (() => void)[] = []

  /** Runs `read` as a foreground read: background work holds back until it (and any other) has settled. */
  async run<T>(read: () => Promise<T>): Promise<T> {
    this.inFlight += 1
    try {
      return await read()
    } finally {
      this.inFlight -= 1
      if (this.inFlight === 0) {
        const waiting = this.waiting
        this.waiting = []
        for (const wake of waiting) wake()
      }
    }
  }

  /** Settles at once when no foreground read is in flight, else once none is. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => this.waiting.push(resolve))
  }
}

/** The window's one gate: the search dialog's reads are foreground; the sidebar's reading and the indexer wait. */
export const foregroundReads = new ForegroundReads()
