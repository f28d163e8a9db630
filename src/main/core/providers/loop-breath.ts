import { setImmediate as nextLoopTurn } from 'node:timers/promises'

/** How long main may go on without its event loop turning before a stream's reader waits for it, in ms. */
export const breathEveryMs = 10

/**
 * Lets Node's event loop run while a provider's stream is read without ever waiting. A provider's burst (a local
 * server writing 10,000 tokens at once) sits in fetch's buffer, and each read of it then resolves as a microtask: the
 * loop never reaches its check phase, so the journal's group (written on `setImmediate`) stays unwritten, every event
 * gated behind it waits (parley-service.ts), and the window heard the whole answer only once it had all been read.
 *
 * `due()`, called after each read, watches the loop with one `setImmediate` at a time: undefined while the loop has
 * turned within `everyMs` (a stream that waits on the network never waits here), the watch's promise once it has not.
 * One per stream, in the providers' readers: in the turn, every turn of the core bench's 1,000-session drain (an
 * in-process model, no reads at all) waited for the loop too, and the durable drain fell from ~3,400 to 2,000–2,800
 * turns a second.
 */
export class LoopBreath {
  private watch: Promise<void> | undefined
  private since = 0

  constructor(
    private readonly everyMs = breathEveryMs,
    private readonly clock: () => number = () => performance.now()
  ) {}

  due(): Promise<void> | undefined {
    if (this.watch === undefined) {
      this.since = this.clock()
      this.watch = nextLoopTurn().then(() => {
        this.watch = undefined
      })
      return undefined
    }
    return this.clock() - this.since >= this.everyMs ? this.watch : undefined
  }
}
