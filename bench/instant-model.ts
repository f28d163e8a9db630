import type { Provider, ProviderEvent, ProviderRequest } from '../src/main/core/providers/provider'

/** An in-process model that answers at once: what is left to measure is the agent. */
export class InstantModel implements Provider {
  readonly id = 'instant'
  calls = 0
  /** performance.now() at the start and end of each stream, by session key (the first user message). */
  onStream: ((phase: 'start' | 'end', request: ProviderRequest) => void) | undefined

  async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
    this.calls += 1
    this.onStream?.('start', request)
    yield { type: 'text', text: 'done' }
    yield { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } }
    yield { type: 'finish', reason: 'end_turn' }
    this.onStream?.('end', request)
  }

  async listModels(): Promise<string[]> {
    return ['instant']
  }
}
