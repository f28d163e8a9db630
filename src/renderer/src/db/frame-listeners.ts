export type FrameScheduler = (callback: () => void) => void

/**
 * The listeners of an external store for `useSyncExternalStore` that tell them about changes at most once per
 * animation frame, however many changes come in it (the streaming bubbles, the rows heard of before Dexie has them).
 */
export class FrameListeners {
  private readonly listeners = new Set<() => void>()
  private frameRequested = false

  constructor(private readonly scheduleFrame: FrameScheduler = (callback) => void requestAnimationFrame(callback)) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** Something changed: every listener hears it in the next frame, once. */
  changed(): void {
    if (this.frameRequested) return
    this.frameRequested = true
    this.scheduleFrame(() => {
      this.frameRequested = false
      for (const listener of [...this.listeners]) listener()
    })
  }
}
