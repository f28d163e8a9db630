import type { EventBroker } from '../events/event-broker'

/** How long a request waits for its first byte before main asks the server whether it is loading the model. */
export const firstByteWaitMs = 1500

/**
 * Asked while a request has had no first byte for `firstByteWaitMs`: the sentence to show when the server is loading
 * the model into memory for it (Ollama, LM Studio), or undefined when it isn't or can't say.
 */
export interface LoadingIntoMemoryPort {
  ask(providerId: string, model: string, signal: AbortSignal): Promise<string | undefined>
  /** How long a request goes without a byte before it is asked; default `firstByteWaitMs`. */
  waitMs?: number
}

export const noLoadingIntoMemory: LoadingIntoMemoryPort = { ask: async () => undefined }

/** One request of a run, watched for its first byte. */
export interface WatchedRequest {
  runId: string
  sessionId: string
  providerId: string
  model: string
}

/**
 * Watches one request for its first byte: if none came within `waitMs`, asks the port whether the server is loading
 * the model into memory and, while still no byte came, publishes `run.loading` with its sentence. `answered()` (the
 * first byte) and `stop()` (the request ended) end the watch and abort the question; nothing is published after.
 */
export class FirstByteWatch {
  private readonly timer: ReturnType<typeof setTimeout>
  private readonly asking = new AbortController()
  private over = false

  constructor(
    broker: Pick<EventBroker, 'publish'>,
    port: LoadingIntoMemoryPort,
    request: WatchedRequest
  ) {
    this.timer = setTimeout(() => {
      port.ask(request.providerId, request.model, this.asking.signal).then(
        (detail) => {
          if (detail === undefined || this.over) return
          broker.publish({ type: 'run.loading', runId: request.runId, sessionId: request.sessionId, detail })
        },
        () => {}
      )
    }, port.waitMs ?? firstByteWaitMs)
  }

  /** The first byte came, or the request is over: nothing more is asked or said. */
  stop(): void {
    if (this.over) return
    this.over = true
    clearTimeout(this.timer)
    this.asking.abort()
  }
}
