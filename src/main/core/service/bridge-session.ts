import type { ClientFrame, FrameProblem, ServerFrame } from '../../../shared'
import { dispatch } from './dispatch'
import type { ParleyService } from './parley-service'

/**
 * Sends one frame to the renderer. It returns a promise while the renderer is slow to read (the WebSocket's buffer
 * is full): the broker then holds this renderer's events and merges its deltas until the promise settles (rule F2).
 */
export type SendFrame = (frame: ServerFrame) => void | Promise<void>

/**
 * ParleyService, served to one connected renderer: one WebSocket, or one page loaded in an Electron window. Both
 * transports hand it validated frames (`readClientFrame`) and give it a way to send; it keeps that renderer's event
 * stream, and drops it when the renderer goes away.
 */
export class BridgeSession {
  private unsubscribe: (() => void) | undefined
  private closed = false

  constructor(
    private readonly service: ParleyService,
    private readonly send: SendFrame
  ) {}

  receive(frame: ClientFrame): void {
    if (this.closed) return
    switch (frame.kind) {
      case 'call':
        void this.call(frame.id, frame.method, frame.args)
        return
      case 'subscribe': {
        // A second subscribe replaces the first: the renderer asks again from an earlier seq when a new listener
        // needs a replay. Each event says which subscribe it answers, so the renderer drops the replaced stream's.
        this.unsubscribe?.()
        const { stream } = frame
        this.unsubscribe = this.service.subscribe(frame.since, (event) =>
          this.send(stream === undefined ? { kind: 'event', event } : { kind: 'event', event, stream })
        )
        return
      }
      case 'unsubscribe':
        this.unsubscribe?.()
        this.unsubscribe = undefined
        return
    }
  }

  /** A frame that could not be read gets a typed error. */
  refuse(problem: FrameProblem): void {
    if (this.closed) return
    this.send({ kind: 'error', id: problem.callId, error: problem.error })
  }

  /** The renderer went away: stop its stream. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.unsubscribe?.()
    this.unsubscribe = undefined
  }

  private async call(id: number, method: string, args: unknown[]): Promise<void> {
    const outcome = await dispatch(this.service, method, args)
    if (this.closed) return
    if (outcome.ok) void this.send({ kind: 'result', id, result: outcome.result })
    else void this.send({ kind: 'error', id, error: outcome.error })
  }
}
