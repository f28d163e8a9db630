import { setImmediate as nextLoopTurn } from 'node:timers/promises'

/** How long a turn goes on reading a provider's stream before it lets the event loop run, in ms. */
export const breathEveryMs = 10

/**
 * Lets Node's event loop run while a turn reads a stream that never waits. A provider's burst (a local server writing
 * 10,000 tokens at once) sits in fetch's buffer, and each read of it then resolves as a microtask: the loop never
 * reaches its check phase, so the journal's group (written on `setImmediate`) stays unwritten, every event gated
 * behind it waits (parley-service.ts), and the window heard the whole answer only once it had all been read.
 * `due()` answers a promise, one turn of the loop, once `everyMs` have passed since the last; undefined before.
 */
export class LoopBreath {
  private last: number

  constructor(
    private readonly everyMs = breathEveryMs,
    private readonly clock: () => number = () => performance.now()
  ) {
    this.last = clock()
  }

  due(): Promise<void> | undefined {
    if (this.clock() - this.last < this.everyMs) return undefined
    return nextLoopTurn().then(() => {
      this.last = this.clock()
    })
  }
}
