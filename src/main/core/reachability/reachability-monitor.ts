import type { ReachabilityPort } from '../agent/ports'

export interface ProviderStatus {
  providerId: string
  reachable: boolean
  detail?: string
  /** When the next probe goes out, while the provider is down. */
  retryInSeconds?: number
}

export interface ReachabilityMonitorOptions {
  /** Resolves when the provider's server answered at all; rejects when it could not be reached. */
  probe: (providerId: string, signal: AbortSignal) => Promise<void>
  /** The provider answers again: waiting prompts may run. */
  onBack: (providerId: string) => void
  onStatus?: (status: ProviderStatus) => void
  baseDelayMs?: number
  /** The longest wait between probes (rule C3: 30 s). */
  maxDelayMs?: number
  probeTimeoutMs?: number
}

interface Down {
  attempt: number
  detail: string
  timer: ReturnType<typeof setTimeout> | undefined
  probing: AbortController | undefined
}

/**
 * Knows which providers can't be reached, and finds out when they can again (rule C3): probes with backoff capped at
 * 30 s, and at once when the OS says the network is back (`probeNow`).
 */
export class ReachabilityMonitor implements ReachabilityPort {
  private readonly down = new Map<string, Down>()
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private readonly probeTimeoutMs: number
  private disposed = false

  constructor(private readonly options: ReachabilityMonitorOptions) {
    this.baseDelayMs = options.baseDelayMs ?? 1000
    this.maxDelayMs = options.maxDelayMs ?? 30_000
    this.probeTimeoutMs = options.probeTimeoutMs ?? 5000
  }

  isReachable(providerId: string): boolean {
    return !this.down.has(providerId)
  }

  /** The providers known to be down. */
  unreachableProviders(): string[] {
    return [...this.down.keys()]
  }

  unreachable(providerId: string, detail: string): void {
    if (this.disposed || this.down.has(providerId)) return
    this.down.set(providerId, { attempt: 0, detail, timer: undefined, probing: undefined })
    this.schedule(providerId)
  }

  /** The OS says the network is back: probe every provider that is down, now. */
  probeNow(): void {
    for (const [providerId, state] of this.down) {
      if (state.probing) continue
      clearTimeout(state.timer)
      state.timer = undefined
      void this.check(providerId)
    }
  }

  dispose(): void {
    this.disposed = true
    for (const state of this.down.values()) {
      clearTimeout(state.timer)
      state.probing?.abort()
    }
    this.down.clear()
  }

  /** The wait before probe number `attempt` (0-based): doubling from the base, capped. */
  delayFor(attempt: number): number {
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt)
  }

  private schedule(providerId: string): void {
    const state = this.down.get(providerId)
    if (!state || this.disposed) return
    const wait = this.delayFor(state.attempt)
    this.options.onStatus?.({ providerId, reachable: false, detail: state.detail, retryInSeconds: Math.ceil(wait / 1000) })
    state.timer = setTimeout(() => {
      state.timer = undefined
      void this.check(providerId)
    }, wait)
  }

  private async check(providerId: string): Promise<void> {
    const state = this.down.get(providerId)
    if (!state || this.disposed) return
    const controller = new AbortController()
    state.probing = controller
    const timeout = setTimeout(() => controller.abort(), this.probeTimeoutMs)
    let answered: boolean
    try {
      await this.options.probe(providerId, controller.signal)
      answered = true
    } catch {
      answered = false
    } finally {
      clearTimeout(timeout)
      state.probing = undefined
    }
    if (this.disposed || this.down.get(providerId) !== state) return
    if (answered) {
      this.down.delete(providerId)
      this.options.onStatus?.({ providerId, reachable: true })
      this.options.onBack(providerId)
      return
    }
    state.attempt += 1
    this.schedule(providerId)
  }
}
