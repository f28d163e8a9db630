import type { EnqueueResult, ParleyEvent } from '../../shared'

/**
 * The one line on stderr that says where a run waits ("queued, 2 ahead"), said again only when it changes. The
 * count is the prompts before it in its chat's queue, plus the answer being written.
 */
export class QueueNotice {
  private last: string | null = null

  constructor(
    private readonly runId: string,
    private readonly sessionId: string,
    private readonly say: (line: string) => void
  ) {}

  accepted(result: EnqueueResult): void {
    if (result.state === 'queued') this.tell(`queued, ${result.position} ahead`)
    else if (result.state === 'waiting') this.tell('waiting for the model to answer')
  }

  take(event: ParleyEvent): void {
    if (event.type === 'queue.changed' && event.sessionId === this.sessionId) {
      const at = event.queue.findIndex((item) => item.runId === this.runId)
      const item = event.queue[at]
      if (item === undefined) return
      this.tell(item.state === 'waiting' ? 'waiting for the model to answer' : `queued, ${at + 1} ahead`)
    } else if (event.type === 'run.started' && event.runId === this.runId && this.last !== null) {
      this.tell('started')
    }
  }

  private tell(line: string): void {
    if (line === this.last) return
    this.last = line
    this.say(`parley: ${line}\n`)
  }
}
