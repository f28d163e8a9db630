import type { EnqueueResult, ParleyApi, ParleyEvent, SettingsView, Status } from '../../shared'

/** The one line `--fail-fast` leaves on when the model server can't be reached, before or after main took the prompt. */
export const failFastSentence = {
  notSent: (why: string): string => `${why} The prompt was not sent (--fail-fast).`,
  cancelled: (why: string): string => `${why} The prompt had been accepted, and is cancelled: it will not run later (--fail-fast).`
}

/** Main's status of one provider, as `status()` lists it. */
type ProviderState = Status['providers'][number]

/** Why a provider's server is down, in a sentence, when it can't be reached (C3); null while it answers, or loads (C6). */
export function unreachableNow(provider: ProviderState | undefined, settings: Pick<SettingsView, 'providers'>): string | null {
  if (provider === undefined || provider.reachable !== false || provider.state === 'loading') return null
  const config = settings.providers.find((p) => p.id === provider.providerId)
  const at = config === undefined ? '' : ` at ${config.baseUrl}`
  return `Parley couldn't reach the model server${at}.`
}

/** How long `--fail-fast` waits for main to look again at a server it knows is down: above its probe's 5 s timeout. */
export const probeWaitMs = 6_000

/**
 * A server main has known down since some earlier try may be back (the script has just started it), and main looks
 * again only with backoff (up to 30 s): `--fail-fast` has it look now (`probeNow`, C3) and hears its answer. Answers
 * why it is still down, or null when it answers again, loads (C6), or main said nothing in `waitMs` (then the prompt
 * is sent, and FailFast watches its run as for any other).
 */
export async function downAfterLooking(
  api: Pick<ParleyApi, 'subscribe' | 'probeNow'>,
  providerId: string,
  since: number,
  downBefore: string,
  waitMs = probeWaitMs
): Promise<string | null> {
  let unsubscribe = (): void => {}
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await new Promise<string | null>((resolve, reject) => {
      timer = setTimeout(() => resolve(null), waitMs)
      unsubscribe = api.subscribe({ since }, (event) => {
        if (event.type !== 'provider.status' || event.providerId !== providerId) return
        resolve(!event.reachable && event.state !== 'loading' ? (event.detail ?? downBefore) : null)
      })
      api.probeNow().catch(reject)
    })
  } finally {
    clearTimeout(timer)
    unsubscribe()
  }
}

/**
 * `parley run --fail-fast`: tells when the run's model server can't be reached while the run waits for it, so the
 * command can cancel it and leave (exit 69) instead of waiting (C3) until --timeout. The run waits for it while it is
 * in its chat's queue (queued, or back there `waiting` after its turn could not connect) and its provider is down and
 * not loading: a server loading its model (C6) answers soon, as `ollama run` waits for a load too.
 */
export class FailFast {
  /** The run is in its chat's queue (not answering, not over). */
  private inQueue = false
  private down: string | null
  private fire: (why: string) => void = () => {}
  /** Settles, with main's sentence for why, once the run waits for a server that can't be reached. */
  readonly unreachable: Promise<string>

  constructor(
    private readonly runId: string,
    private readonly sessionId: string,
    private readonly providerId: string,
    /** Its provider as `status()` had it before the prompt was sent: down already, or not. */
    downBefore: string | null
  ) {
    this.down = downBefore
    this.unreachable = new Promise((resolve) => (this.fire = resolve))
  }

  /** Whether the run's server can't be reached now (as far as main has said). */
  get serverDown(): boolean {
    return this.down !== null
  }

  accepted(result: EnqueueResult): void {
    this.inQueue = result.state !== 'active'
    this.check()
  }

  take(event: ParleyEvent): void {
    if (event.type === 'queue.changed' && event.sessionId === this.sessionId) {
      this.inQueue = event.queue.some((item) => item.runId === this.runId)
    } else if ((event.type === 'run.started' && event.runId === this.runId) || (event.type === 'run.complete' && event.complete.runId === this.runId)) {
      this.inQueue = false
    } else if (event.type === 'provider.status' && event.providerId === this.providerId) {
      this.down = !event.reachable && event.state !== 'loading' ? (event.detail ?? "Parley couldn't reach the model server.") : null
    }
    this.check()
  }

  private check(): void {
    if (this.inQueue && this.down !== null) this.fire(this.down)
  }
}
