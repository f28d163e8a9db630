import type { FinishReason, Message, Part, Usage } from '../../../shared'
import type { EventBroker } from '../events/event-broker'
import type { ProviderEvent } from '../providers/provider'
import { DeltaCoalescer, deltaIntervalMs } from './delta-coalescer'

export interface AnswerIdentity {
  messageId: string
  sessionId: string
  runId: string
  providerId: string
  model: string
  /** The user message this answers (its parent on the branch, rule H3). */
  parentId?: string
}

/** How a turn ended, as the agent turns it into a RunComplete. */
export interface TurnResult {
  messageId?: string
  text: string
  error?: string
  cancelled: boolean
}

/**
 * Writes one assistant message as the model streams it (rules B3, B4): creates it at the first token, publishes
 * coalesced deltas, and finishes it once with its finish reason, usage and timings.
 */
export class AnswerWriter {
  private message: Message | undefined
  private text = ''
  private reasoning = ''
  /**
   * How much text and reasoning the deltas published so far carried: what a window folding them holds (not `text`,
   * which a `text-was-reasoning` empties while the window keeps what streamed), each next delta's offset.
   */
  private publishedText = 0
  private publishedReasoning = 0
  private usage: Usage | undefined
  private reported: FinishReason | undefined
  private requestedAt: number
  private firstTokenAt: number | undefined
  private readonly coalescer: DeltaCoalescer

  constructor(
    private readonly broker: Pick<EventBroker, 'publish'>,
    private readonly identity: AnswerIdentity,
    private readonly now: () => number,
    intervalMs = deltaIntervalMs
  ) {
    this.requestedAt = now()
    this.coalescer = new DeltaCoalescer((delta) => this.publishDelta(delta), intervalMs, now)
  }

  /** Whether the model has started to answer (C3 and C4 only apply before this). */
  get started(): boolean {
    return this.message !== undefined
  }

  /** Restarts the clock for time to first token: called as each request (or retry) goes out. */
  requestSent(): void {
    this.requestedAt = this.now()
  }

  take(event: ProviderEvent): void {
    switch (event.type) {
      case 'text': {
        // The first text of an answer loses its leading newlines (rule B3).
        const chunk = this.text ? event.text : event.text.replace(/^[\r\n]+/, '')
        if (!chunk) return
        this.ensureCreated(true)
        this.text += chunk
        this.coalescer.add('text', chunk)
        return
      }
      case 'reasoning':
        if (!event.text) return
        this.ensureCreated(true)
        this.reasoning += event.text
        this.coalescer.add('reasoning', event.text)
        return
      case 'text-was-reasoning':
        // The text so far was thinking: it joins the reasoning, and the answer starts again from what follows. What
        // already streamed stays as it was in the window until message.finished brings the final form.
        if (!this.text) return
        this.reasoning = this.reasoning ? `${this.reasoning}\n\n${this.text.trim()}` : this.text.trim()
        this.text = ''
        return
      case 'usage':
        this.usage = event.usage
        return
      case 'finish':
        this.reported = event.reason
        return
    }
  }

  /** The stream ended normally: finish with the reason the provider reported. */
  finish(): TurnResult {
    return this.end(this.reported ?? 'unknown')
  }

  /** Publishes the final message, exactly once. */
  end(reason: FinishReason, error?: string): TurnResult {
    this.coalescer.flush()
    this.ensureCreated(false)
    const message = this.message as Message
    const finishedAt = this.now()
    const final: Message = {
      ...message,
      parts: this.parts(),
      status: 'finished',
      finishReason: reason,
      timings: {
        ...(this.firstTokenAt !== undefined ? { firstTokenMs: this.firstTokenAt - this.requestedAt } : {}),
        durationMs: Math.max(0, finishedAt - this.requestedAt),
        ...tokensPerSecond(this.usage, this.firstTokenAt, finishedAt)
      }
    }
    if (this.usage) final.usage = this.usage
    if (error) final.error = error
    this.broker.publish({ type: 'message.finished', message: final })
    const result: TurnResult = { messageId: final.id, text: this.text, cancelled: reason === 'canceled' }
    if (error) result.error = error
    return result
  }

  /** Creates the message when the model starts to answer, or at the end of a turn that got no token at all. */
  private ensureCreated(byToken: boolean): void {
    if (this.message) return
    const at = this.now()
    if (byToken) this.firstTokenAt = at
    this.message = {
      id: this.identity.messageId,
      sessionId: this.identity.sessionId,
      runId: this.identity.runId,
      role: 'assistant',
      parts: [],
      status: 'streaming',
      providerId: this.identity.providerId,
      model: this.identity.model,
      createdAt: at,
      ...(this.identity.parentId ? { parentId: this.identity.parentId } : {})
    }
    this.broker.publish({ type: 'message.created', message: this.message })
  }

  private parts(): Part[] {
    const parts: Part[] = []
    if (this.reasoning) parts.push({ type: 'reasoning', text: this.reasoning })
    parts.push({ type: 'text', text: this.text })
    return parts
  }

  private publishDelta(delta: { text: string; reasoning: string }): void {
    this.broker.publish({
      type: 'message.delta',
      sessionId: this.identity.sessionId,
      messageId: this.identity.messageId,
      ...(delta.text ? { text: delta.text, textOffset: this.publishedText } : {}),
      ...(delta.reasoning ? { reasoning: delta.reasoning, reasoningOffset: this.publishedReasoning } : {})
    })
    this.publishedText += delta.text.length
    this.publishedReasoning += delta.reasoning.length
  }
}

/**
 * Output tokens a second while the model wrote: from the first token to the end. Only what the provider reported is
 * counted (a server that sends no usage gets no figure, nothing is estimated), and an answer that came in one piece
 * has no writing time to divide by.
 */
export function tokensPerSecond(
  usage: Usage | undefined,
  firstTokenAt: number | undefined,
  finishedAt: number
): { tokensPerSecond?: number } {
  if (!usage || usage.outputTokens === 0 || firstTokenAt === undefined) return {}
  const writingMs = finishedAt - firstTokenAt
  return writingMs > 0 ? { tokensPerSecond: (usage.outputTokens * 1000) / writingMs } : {}
}
