import type { ParleyEvent } from '../../../shared'
import { ExternalStore } from '../external-store'

/** Main asked the window to show this chat (a notification was clicked, or the tray made a new chat). */
export interface OpenRequest {
  sessionId: string
  seq: number
}

/**
 * Main's `session.open` requests meant for this page: the ones published after it started listening. A request
 * replayed from before (the page subscribes from its last committed seq, and main replays what came after) was for
 * an earlier page, and showing that chat now would pull the person away from where they are.
 *
 * Main's seq at the first `status()` after subscribing is the line: every replayed event is at or below it. A request
 * that arrives before that answer is held (the latest one) until the line is known. The snapshot is the latest live
 * request; the window shows its chat.
 */
export class OpenRequests extends ExternalStore<OpenRequest | undefined> {
  private floor: number | undefined
  private held: OpenRequest | undefined

  constructor() {
    super(undefined)
  }

  take = (event: ParleyEvent): void => {
    if (event.type !== 'session.open') return
    const request = { sessionId: event.sessionId, seq: event.seq }
    if (this.floor === undefined) this.held = request
    else if (request.seq > this.floor) this.replace(request)
  }

  /** Main's last seq when this page started listening (from `status()`); only the first one given counts. */
  startAfter(seq: number): void {
    if (this.floor !== undefined) return
    this.floor = seq
    const held = this.held
    this.held = undefined
    if (held && held.seq > seq) this.replace(held)
  }
}
