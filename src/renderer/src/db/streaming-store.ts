import { FrameListeners, type FrameScheduler } from './frame-listeners'

/** The text of a message as it streams in: what the bubble shows before Dexie has it. */
export interface StreamingText {
  readonly text: string
  readonly reasoning: string
}

/** How many finished messages keep their final text here, so a bubble never flashes back to an older checkpoint. */
const keptFinished = 64

/**
 * The in-memory home of streamed deltas (architecture.md, "A prompt's path" step 5). An external store for
 * `useSyncExternalStore`: each change replaces that message's snapshot object, so only its bubble re-renders, and
 * listeners hear about changes at most once per animation frame however many deltas arrive.
 */
export class StreamingStore {
  private readonly entries = new Map<string, StreamingText>()
  /** Finished messages, oldest first, so the oldest final texts are the first let go. */
  private readonly finished: string[] = []
  private readonly listeners: FrameListeners

  constructor(scheduleFrame?: FrameScheduler) {
    this.listeners = new FrameListeners(scheduleFrame)
  }

  subscribe = (listener: () => void): (() => void) => this.listeners.subscribe(listener)

  get(messageId: string): StreamingText | undefined {
    return this.entries.get(messageId)
  }

  /** Starts (or restarts) a message from the text it already has. */
  set(messageId: string, value: StreamingText): void {
    this.entries.set(messageId, { text: value.text, reasoning: value.reasoning })
    this.listeners.changed()
  }

  append(messageId: string, delta: { text?: string | undefined; reasoning?: string | undefined }): void {
    const current = this.entries.get(messageId)
    if (!current || (!delta.text && !delta.reasoning)) return
    this.entries.set(messageId, {
      text: current.text + (delta.text ?? ''),
      reasoning: current.reasoning + (delta.reasoning ?? '')
    })
    this.listeners.changed()
  }

  /**
   * The message is final. Its final text stays for a while: the Dexie row that replaces it reaches the UI a moment
   * later, through a live query, and the bubble must not show the older checkpoint in between.
   */
  finish(messageId: string, value: StreamingText): void {
    this.set(messageId, value)
    const at = this.finished.indexOf(messageId)
    if (at >= 0) this.finished.splice(at, 1)
    this.finished.push(messageId)
    while (this.finished.length > keptFinished) {
      const oldest = this.finished.shift()
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }

  delete(messageId: string): void {
    const at = this.finished.indexOf(messageId)
    if (at >= 0) this.finished.splice(at, 1)
    if (this.entries.delete(messageId)) this.listeners.changed()
  }
}
