import type { HistoryAnswerer, Message } from '../../../shared'
import type { MemoryHistory } from '../agent/memory-history'
import type { HistoryPort } from '../agent/ports'

/**
 * The agent's history port in the app (rule B2, architecture "A prompt's path" step 3): the attached renderer
 * answers from Dexie once it has committed every event through the requested seq. With no renderer attached
 * (headless), or when the renderer cannot answer in time, main's own in-memory copy answers.
 */
export class BridgedHistory implements HistoryPort {
  private answerers: HistoryAnswerer[] = []

  private arrivals: (() => void)[] = []

  constructor(
    private readonly fallback: MemoryHistory,
    private readonly timeoutMs = 15_000,
    private readonly warn: (message: string) => void = (message) => console.warn(`[parley] ${message}`),
    /** How long a read waits for a window to attach when none has yet (after a restart, the window is loading). */
    private readonly attachWaitMs = 0
  ) {}

  /** The most recently attached renderer answers; detaching hands the job back to the one before. */
  attach(answerer: HistoryAnswerer): () => void {
    this.answerers.push(answerer)
    for (const arrived of this.arrivals.splice(0)) arrived()
    return () => {
      this.answerers = this.answerers.filter((a) => a !== answerer)
    }
  }

  get attached(): boolean {
    return this.answerers.length > 0
  }

  async read(sessionId: string, options: { afterSeq: number; signal?: AbortSignal }): Promise<Message[]> {
    if (this.answerers.length === 0 && this.attachWaitMs > 0) await this.windowArrives(this.attachWaitMs)
    const answerer = this.answerers[this.answerers.length - 1]
    if (!answerer) return this.fallback.read(sessionId, options)
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      return await Promise.race([
        answerer({ sessionId, afterSeq: options.afterSeq }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs)
        })
      ])
    } catch (error) {
      this.warn(`the window could not give the history of ${sessionId} (${String(error)}); using main's copy`)
      return this.fallback.read(sessionId, options)
    } finally {
      clearTimeout(timer)
    }
  }

  private windowArrives(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.arrivals.push(done)
    })
  }
}
