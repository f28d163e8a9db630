import type { ProviderTrouble } from '../../../shared'
import type { ReachabilityPort } from '../agent/ports'
import { probeDelayMs } from './probe-schedule'

export type ProviderStatus =
  | { providerId: string; reachable: true }
  | {
      providerId: string
      reachable: false
      /** Why: it can't be reached (C3), or it says it is loading the model (C6). */
      state: ProviderTrouble
      detail: string
      /** When the next look goes out. */
      retryInSeconds: number
    }

export interface ReachabilityMonitorOptions {
  /** Resolves when the provider's server answered at all; rejects when it could not be reached. */
  probe: (providerId: string, signal: AbortSignal) => Promise<void>
  /**
   * The waiting prompts may run: the provider answered a probe, or it was loading and it is time to try the waiting
   * turns again (C6). Answers whether any turn started; when none did, the provider is declared back at once.
   */
  onBack: (providerId: string) => boolean
  onStatus?: (status: ProviderStatus) => void
  /** Whether the provider's server is on this machine: it is looked at every 1–2 s instead of backing off to 30 s. */
  isLocal?: (providerId: string) => boolean
  baseDelayMs?: number
  probeTimeoutMs?: number
}

interface Down {
  state: ProviderTrouble
  attempt: number
  detail: string
  timer: ReturnType<typeof setTimeout> | undefined
  probing: AbortController | undefined
}

/**
 * Knows which providers can't take prompts, and finds out when they can again.
 * - C3, unreachable: probes (`GET /models`) with backoff; at once when the OS says the network is back (`probeNow`).
 * - C6, loading: a loading server answers `GET /models` while it can't answer a prompt (llama.cpp does), so a probe
 *   proves nothing. On the same schedule, the waiting turns themselves are let through: the turn is the probe.
 * Either way, once something answered, the provider is "trying" until a turn reports what it got: `answered` (it is
 * back), or `unreachable`/`loading` again (the next look is scheduled, the backoff going on where it was). So the
 * window hears "back" only when a prompt really got an answer, and no status flickers between two looks.
 * The schedule is 1–2 s for a server on this machine and backs off to 30 s for a remote one (`probe-schedule.ts`).
 */
export class ReachabilityMonitor implements ReachabilityPort {
  private readonly down = new Map<string, Down>()
  /** Providers whose waiting turns were let through, by the attempt they were let through at. */
  private readonly trying = new Map<string, number>()
  private readonly baseDelayMs: number
  private readonly probeTimeoutMs: number
  private disposed = false

  constructor(private readonly options: ReachabilityMonitorOptions) {
    this.baseDelayMs = options.baseDelayMs ?? 1000
    this.probeTimeoutMs = options.probeTimeoutMs ?? 5000
  }

  isReachable(providerId: string): boolean {
    return !this.down.has(providerId)
  }

  /** The providers known to be down, and why. */
  troubles(): Map<string, ProviderTrouble> {
    return new Map([...this.down].map(([providerId, down]) => [providerId, down.state]))
  }

  /** The providers known to be down. */
  unreachableProviders(): string[] {
    return [...this.down.keys()]
  }

  unreachable(providerId: string, detail: string): void {
    this.report(providerId, 'unreachable', detail)
  }

  loading(providerId: string, detail: string): void {
    this.report(providerId, 'loading', detail)
  }

  /** A turn got an answer from the provider (its first token, or an error that isn't C3's or C6's): it is back. */
  answered(providerId: string): void {
    if (this.disposed) return
    if (this.trying.delete(providerId)) {
      this.options.onStatus?.({ providerId, reachable: true })
      return
    }
    const state = this.down.get(providerId)
    if (!state) return
    // Down, yet something got an answer: the prompts waiting for it need not wait for the next look.
    this.stopLooking(state)
    this.down.delete(providerId)
    this.options.onStatus?.({ providerId, reachable: true })
    this.options.onBack(providerId)
  }

  /** A turn let through to try again was stopped before it found out: nobody waits for the answer now. */
  turnStopped(providerId: string): void {
    if (this.disposed) return
    if (this.trying.delete(providerId)) this.options.onStatus?.({ providerId, reachable: true })
  }

  /** The OS says the network is back: look at every provider that is down, now. */
  probeNow(): void {
    for (const [providerId, state] of this.down) {
      if (state.probing) continue
      clearTimeout(state.timer)
      state.timer = undefined
      void this.look(providerId)
    }
  }

  dispose(): void {
    this.disposed = true
    for (const state of this.down.values()) this.stopLooking(state)
    this.down.clear()
    this.trying.clear()
  }

  /** The wait before look number `attempt` (0-based) at this provider. */
  delayFor(attempt: number, providerId?: string): number {
    const local = providerId !== undefined && (this.options.isLocal?.(providerId) ?? false)
    return probeDelayMs(attempt, local ? 'local' : 'remote', this.baseDelayMs)
  }

  private report(providerId: string, trouble: ProviderTrouble, detail: string): void {
    if (this.disposed) return
    const known = this.down.get(providerId)
    if (known) {
      // Another turn saying the same adds nothing; a change of reason (the server started answering, say) is news.
      if (known.state === trouble) return
      known.state = trouble
      known.detail = detail
      if (known.probing) return
      clearTimeout(known.timer)
      this.schedule(providerId)
      return
    }
    const tried = this.trying.get(providerId)
    this.trying.delete(providerId)
    const attempt = tried === undefined ? 0 : tried + 1
    this.down.set(providerId, { state: trouble, attempt, detail, timer: undefined, probing: undefined })
    this.schedule(providerId)
  }

  private schedule(providerId: string): void {
    const state = this.down.get(providerId)
    if (!state || this.disposed) return
    const wait = this.delayFor(state.attempt, providerId)
    this.options.onStatus?.({
      providerId,
      reachable: false,
      state: state.state,
      detail: state.detail,
      retryInSeconds: Math.ceil(wait / 1000)
    })
    state.timer = setTimeout(() => {
      state.timer = undefined
      void this.look(providerId)
    }, wait)
  }

  /** C3: probe; C6: a probe proves nothing while the model loads, so the waiting turns try again themselves. */
  private async look(providerId: string): Promise<void> {
    const state = this.down.get(providerId)
    if (!state || this.disposed) return
    if (state.state === 'loading') return this.letThrough(providerId, state)
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
    // A turn may have found the server loading while the probe was out: then the probe's answer proves nothing either.
    const loading = this.down.get(providerId)?.state === 'loading'
    if (answered || loading) return this.letThrough(providerId, state)
    state.attempt += 1
    this.schedule(providerId)
  }

  /** The waiting turns may try; if none waits, the provider is simply back. */
  private letThrough(providerId: string, state: Down): void {
    this.down.delete(providerId)
    this.trying.set(providerId, state.attempt)
    const started = this.options.onBack(providerId)
    if (!started && this.trying.delete(providerId)) this.options.onStatus?.({ providerId, reachable: true })
  }

  private stopLooking(state: Down): void {
    clearTimeout(state.timer)
    state.timer = undefined
    state.probing?.abort()
  }
}
