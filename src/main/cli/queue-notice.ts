import type { EnqueueResult, ParleyEvent } from '../../shared'

/**
 * The one line on stderr that says where a run waits ("queued, 2 ahead"), or what its server is doing meanwhile
 * ("Ollama is loading llama3.2 into memory …"), said again only when it changes. The
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
    } else if (event.type === 'run.loading' && event.runId === this.runId) {
      // C6 without a 503: Ollama or LM Studio holds the request while it loads the model; main's sentence says so.
      this.tell(event.detail)
    } else if (event.type === 'provider.status' && !event.reachable && this.waiting) {
      // C3/C6: the prompt waits for the server without end but for --timeout; say why, and how to give up, so a
      // script's author with a wrong address or a stopped server is not left guessing.
      // The detail is main's sentence for the person ("Parley couldn't reach the model server at … Check that …").
      const why = event.detail ?? (event.state === 'loading' ? 'The model server is loading its model.' : "The model server can't be reached.")
      this.tell(`waiting for the model server. ${why} The prompt runs when it answers (Ctrl+C or --timeout gives up).`)
    }
  }

  /** Whether the run waits for its model server now (C3): the last thing said was that it waits. */
  private get waiting(): boolean {
    return this.last?.startsWith('waiting for the model') ?? false
  }

  private tell(line: string): void {
    if (line === this.last) return
    this.last = line
    this.say(`parley: ${line}\n`)
  }
}
