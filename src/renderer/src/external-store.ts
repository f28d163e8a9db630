/**
 * The shape `useSyncExternalStore` wants: an immutable snapshot replaced on every change, and subscribers told
 * after it was replaced. The in-memory stores (activity, notices) build on it.
 */
export class ExternalStore<T> {
  private listeners = new Set<() => void>()

  constructor(private snapshot: T) {}

  getSnapshot = (): T => this.snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  protected replace(next: T): void {
    if (next === this.snapshot) return
    this.snapshot = next
    for (const listener of [...this.listeners]) listener()
  }
}
