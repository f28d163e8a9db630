import { ExternalStore } from '../external-store'

/** Where a part of the app that is loaded later stands. */
export type Loading<T> = { kind: 'waiting' } | { kind: 'loaded'; value: T } | { kind: 'failed'; error: unknown }

/** Gives the browser its turn (to paint, to handle input) before the next step. */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * A part of the app that the first paint does not need (the markdown stack, a dialog), loaded on first use or when
 * the window is idle. Its code comes in steps, each a dynamic `import()` the bundler makes a chunk of and each
 * evaluated in a task of its own, so that no one task evaluates all of it (issue 11: no task over 50 ms at load).
 * A later step finds the modules of the earlier ones evaluated already. A failed load (a chunk that could not be
 * fetched) is tried again on the next `load()`.
 */
export class StagedImport<T> extends ExternalStore<Loading<T>> {
  private pending: Promise<T> | undefined

  constructor(
    private readonly steps: readonly (() => Promise<unknown>)[],
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
    for (const step of this.steps) {
      await step()
      await this.pause()
    }
    return this.last()
  }
}
