/** Work the agent does beside its runs (title requests, E1–E3), where `idle()` and `shutdown()` can see and stop it. */
export class BackgroundWork {
  private readonly tasks = new Map<Promise<void>, AbortController>()

  /** Starts the work now; its failure is its own (a title falls back on its own, E1) and never reaches a run. */
  start(work: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController()
    const task = work(controller.signal).catch(() => {})
    this.tasks.set(task, controller)
    void task.finally(() => this.tasks.delete(task))
  }

  /** D6: on quit, every piece of background work is told to stop. */
  abortAll(): void {
    for (const controller of this.tasks.values()) controller.abort()
  }

  /** The work still in flight. */
  pending(): Promise<void>[] {
    return [...this.tasks.keys()]
  }
}
