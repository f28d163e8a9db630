import { ExternalStore } from '../external-store'

/** Where a part of the app that is loaded later stands. */
export type Loading<T> = { kind: 'waiting' } | { kind: 'loaded'; value: T } | { kind: 'failed'; error: unknown }

/** Gives the browser its turn (to paint, to handle input) before the next step. */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * One chunk of a part loaded later: its import, and optionally a first use of its code (`warm`) run once it is in,
 * while the next chunk is fetched. A library's first use costs what later ones don't (V8 compiles each function on
 * its first call; highlight.js compiles a grammar the first time it is used: in Node, 20 ms for TypeScript's, then 0.5),
 * and without a warm-up that cost fell in the task that draws a chat's first rows.
 */
export interface ImportStep {
  readonly load: () => Promise<unknown>
  readonly warm?: () => Promise<void>
}

/** A warm-up is a rehearsal: whatever it throws changes nothing (the real use will say what is wrong). */
async function rehearse(warm: (() => Promise<void>) | undefined): Promise<void> {
  try {
    await warm?.()
  } catch {
    // Nothing: see above.
  }
}

/**
 * A part of the app that the first paint does not need (the markdown stack, a dialog), loaded on first use or when
 * the window is idle. Its code comes in steps, each a dynamic `import()` the bundler makes a chunk of and each
 * evaluated in a task of its own, so that no one task evaluates all of it (issue 11: no task over 50 ms at load).
 * A later step finds the modules of the earlier ones evaluated already. Each step's warm-up runs in a task of its own
 * while the next chunk is on its way (a wait for the network otherwise spent idle). A failed load (a chunk that could
 * not be fetched) is tried again on the next `load()`.
 */
export class StagedImport<T> extends ExternalStore<Loading<T>> {
  private pending: Promise<T> | undefined

  constructor(
    private readonly steps: readonly ImportStep[],
    private readonly last: () => Promise<T>,
    private readonly pause: () => Promise<void> = nextTask
  ) {
    super({ kind: 'waiting' })
  }

  /** The part, once loaded (the same promise for every caller until it settles). */
  load(): Promise<T> {
    if (this.pending) return this.pending
    const pending = this.run()
    this.pending = pending
    pending.then(
      (value) => this.replace({ kind: 'loaded', value }),
      (error: unknown) => {
        this.pending = undefined
        this.replace({ kind: 'failed', error })
      }
    )
    return pending
  }

  private async run(): Promise<T> {
    // The first import in a task of its own too: `load()` is called from React's effects (a chat's first rows), and
    // asking for the first chunk (the build's preload links for it) cost that task ~8 ms (a trace at 50,000 chats).
    await this.pause()
    let warm: (() => Promise<void>) | undefined
    for (const step of this.steps) {
      const loading = step.load()
      // Its failure is taken below, once the warm-up is done; not an unhandled rejection meanwhile.
      loading.catch(() => undefined)
      await rehearse(warm)
      await loading
      warm = step.warm
      await this.pause()
    }
    const last = this.last()
    last.catch(() => undefined)
    await rehearse(warm)
    // The part is handed out in a task after the last warm-up's, not in it: what its subscribers draw then (a chat's
    // first rows, mounted as the markdown stack comes) is a task's work of its own (a trace: 17 ms of rehearsed
    // layout and a 30-48 ms render together made one task of 47-66 ms).
    if (warm) await this.pause()
    return last
  }
}
