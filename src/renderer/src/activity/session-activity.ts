import {
  runWaitsAfter,
  type EnqueueResult,
  type ParleyEvent,
  type ProviderTrouble,
  type QueuedPrompt,
  type RunLoadingStatus,
  type RunRetryStatus,
  type Status
} from '../../../shared'
import { ExternalStore } from '../external-store'

/** A 429 (or 529) came before the first token: the active run is tried again at `retryAt` (rule C4). */
export type RunRetry = RunRetryStatus

/** The active run's server is loading the model into memory for it (Ollama, LM Studio): main's sentence says so. */
export type RunLoading = RunLoadingStatus

/** What a session is doing right now, as main reports it. */
export interface SessionRun {
  busy: boolean
  /** The run that is answering; what Stop cancels. */
  activeRunId: string | undefined
  queue: readonly QueuedPrompt[]
  /** Set while the active run waits out a rate limit before its next try. */
  retry?: RunRetry | undefined
  /** Set while the active run's request waits on its model being loaded into memory, until its answer starts. */
  loading?: RunLoading | undefined
}

/** A prompt this window sent that main has not shown in a queue, started or finished yet. */
export interface PendingPrompt {
  runId: string
  prompt: string
  /** How many files it carries (shown on its chip); absent: none. */
  attachments?: number
}

export interface ProviderState {
  providerId: string
  /** null until main has tried the provider. */
  reachable: boolean | null
  /** Why it is down, while `reachable` is false: it can't be reached (C3) or it is loading the model (C6). */
  state?: ProviderTrouble | undefined
  retryInSeconds?: number | undefined
  /** When main probes it next, in ms on main's clock: `retryInSeconds` after the status was published. */
  retryAt?: number | undefined
  detail?: string | undefined
}

export interface ActivitySnapshot {
  sessions: ReadonlyMap<string, SessionRun>
  pending: ReadonlyMap<string, readonly PendingPrompt[]>
  providers: ReadonlyMap<string, ProviderState>
}

const idle: SessionRun = { busy: false, activeRunId: undefined, queue: [] }

export function sessionRun(snapshot: ActivitySnapshot, sessionId: string | undefined): SessionRun {
  return (sessionId ? snapshot.sessions.get(sessionId) : undefined) ?? idle
}

/**
 * How many prompts wait for a provider to answer again (rule C3), across every session: what the offline banner
 * counts.
 */
export function waitingPromptCount(snapshot: ActivitySnapshot): number {
  let count = 0
  for (const run of snapshot.sessions.values()) for (const item of run.queue) if (item.state === 'waiting') count += 1
  return count
}

/**
 * The waiting prompts the chat shows where their answer will be (C3), rather than as chips above the composer: those
 * that already ran once (their user message is in the chat), and the next one to run while the session waits for
 * its provider, even if it never ran. So the prompt that runs next when the model is back looks the same in every
 * chat, whether it was sent before or after Parley knew the server was down; the prompts behind it stay chips.
 */
export function waitingInChat(snapshot: ActivitySnapshot, sessionId: string | undefined): QueuedPrompt[] {
  const run = sessionRun(snapshot, sessionId)
  return run.queue.filter(
    (item, index) => item.userMessageId !== undefined || (index === 0 && item.state === 'waiting' && !run.busy)
  )
}

/** One chip above the composer: a prompt waiting its turn, in order. */
export interface QueuedChip {
  runId: string
  prompt: string
  /** `sending` until main has answered; `waiting` when the provider can't be reached (rule C3). */
  state: 'sending' | 'queued' | 'waiting'
  /** How many files the prompt carries. */
  attachments: number
}

/**
 * The queue main reports, then this window's prompts main hasn't placed yet (only if they'll have to wait). A prompt
 * already shown in the chat (`waitingInChat`) gets no chip.
 */
export function queuedChips(snapshot: ActivitySnapshot, sessionId: string | undefined): QueuedChip[] {
  if (!sessionId) return []
  const run = sessionRun(snapshot, sessionId)
  const inChat = new Set(waitingInChat(snapshot, sessionId).map((item) => item.runId))
  const chips: QueuedChip[] = run.queue
    .filter((item) => !inChat.has(item.runId))
    .map((item) => ({ runId: item.runId, prompt: item.prompt, state: item.state, attachments: item.attachments?.length ?? 0 }))
  if (run.busy || run.queue.length > 0) {
    const shown = new Set(chips.map((chip) => chip.runId))
    for (const item of snapshot.pending.get(sessionId) ?? []) {
      if (!shown.has(item.runId)) chips.push({ runId: item.runId, prompt: item.prompt, state: 'sending', attachments: item.attachments ?? 0 })
    }
  }
  return chips
}

/**
 * The in-memory state of runs: busy sessions, active runs, queues, providers. None of it is history, so none of it
 * goes to Dexie; it comes from events and from `status()` at startup.
 *
 * Events arrive in seq order, but `status()` answers at some point among them, so every session remembers the seq
 * its state is from, and neither an older event nor an older status overwrites a newer state.
 */
/** Whether the session's active run waits on something (a change of its waits is then worth a new snapshot). */
const waitsSomething = (run: SessionRun | undefined): boolean => run?.retry !== undefined || run?.loading !== undefined

/** A session's waits, as the shared rule reads them. */
const waitsOf = (run: SessionRun): { retry: RunRetry | undefined; loading: RunLoading | undefined } => ({ retry: run.retry, loading: run.loading })

export class SessionActivity extends ExternalStore<ActivitySnapshot> {
  private readonly sessionSeqs = new Map<string, number>()
  private readonly providerSeqs = new Map<string, number>()
  /** The seq of the status this store was seeded from: it already covers every event up to it. */
  private floor = 0

  constructor() {
    super({ sessions: new Map(), pending: new Map(), providers: new Map() })
  }

  take = (event: ParleyEvent): void => {
    switch (event.type) {
      case 'session.busy':
        this.updateRun(event.sessionId, event.seq, (run) => ({
          ...run,
          busy: event.busy,
          activeRunId: event.busy ? run.activeRunId : undefined,
          ...runWaitsAfter(waitsOf(run), event)
        }))
        return
      case 'run.started':
        this.settle(event.runId)
        this.updateRun(event.sessionId, event.seq, (run) => ({ ...run, activeRunId: event.runId, ...runWaitsAfter(waitsOf(run), event) }))
        return
      case 'run.retrying':
      case 'run.loading':
        this.updateRun(event.sessionId, event.seq, (run) => ({ ...run, ...runWaitsAfter(waitsOf(run), event) }))
        return
      case 'message.created':
        // C4, C6: the answer's first token ends what its run waited on.
        if (event.message.role === 'assistant' && waitsSomething(this.getSnapshot().sessions.get(event.message.sessionId))) {
          this.updateRun(event.message.sessionId, event.seq, (run) => ({ ...run, ...runWaitsAfter(waitsOf(run), event) }))
        }
        return
      case 'run.complete': {
        const { runId, sessionId } = event.complete
        this.settle(runId)
        this.updateRun(sessionId, event.seq, (run) =>
          run.activeRunId === runId ? { ...run, activeRunId: undefined, ...runWaitsAfter(waitsOf(run), event) } : run
        )
        return
      }
      case 'queue.changed':
        for (const item of event.queue) this.settle(item.runId)
        this.updateRun(event.sessionId, event.seq, (run) => ({ ...run, queue: event.queue }))
        return
      case 'session.deleted':
        this.forget(event.sessionId)
        return
      case 'provider.status': {
        if (event.seq <= Math.max(this.floor, this.providerSeqs.get(event.providerId) ?? 0)) return
        this.providerSeqs.set(event.providerId, event.seq)
        const providers = new Map(this.getSnapshot().providers)
        providers.set(event.providerId, {
          providerId: event.providerId,
          reachable: event.reachable,
          state: event.reachable ? undefined : (event.state ?? 'unreachable'),
          retryInSeconds: event.retryInSeconds,
          retryAt: event.retryInSeconds === undefined ? undefined : event.at + event.retryInSeconds * 1000,
          detail: event.detail
        })
        this.replace({ ...this.getSnapshot(), providers })
        return
      }
      default:
        return
    }
  }

  /** Fills in what main knows at startup: busy sessions, their queues and active runs, and the providers. */
  seed(status: Status): void {
    const at = status.lastSeq
    this.floor = Math.max(this.floor, at)
    const sessions = new Map(this.getSnapshot().sessions)
    const reported = new Set<string>()
    for (const item of status.sessions) {
      reported.add(item.sessionId)
      if ((this.sessionSeqs.get(item.sessionId) ?? 0) >= at) continue
      this.sessionSeqs.set(item.sessionId, at)
      // C4, C6: a rate limit's countdown and a model loading into memory, as main has them now: a window reloaded
      // meanwhile says what one that saw their events says, not "Waiting for the model…" (their events are older).
      sessions.set(item.sessionId, {
        busy: item.busy,
        activeRunId: item.activeRunId,
        queue: item.queue,
        ...(item.retry ? { retry: item.retry } : {}),
        ...(item.loading ? { loading: item.loading } : {})
      })
      for (const queued of item.queue) this.settle(queued.runId)
    }
    // A session main doesn't mention is idle, unless an event newer than the status says otherwise.
    for (const sessionId of [...sessions.keys()]) {
      if (reported.has(sessionId) || (this.sessionSeqs.get(sessionId) ?? 0) >= at) continue
      sessions.delete(sessionId)
    }
    const providers = new Map(this.getSnapshot().providers)
    for (const provider of status.providers) {
      if ((this.providerSeqs.get(provider.providerId) ?? 0) >= at) continue
      this.providerSeqs.set(provider.providerId, at)
      providers.set(provider.providerId, {
        providerId: provider.providerId,
        reachable: provider.reachable,
        state: provider.reachable === false ? (provider.state ?? 'unreachable') : undefined
      })
    }
    this.replace({ ...this.getSnapshot(), sessions, providers })
  }

  /** A prompt is on its way to main: it shows as a chip at once, so it can be removed before main answers. */
  addPending(sessionId: string, prompt: PendingPrompt): void {
    const pending = new Map(this.getSnapshot().pending)
    pending.set(sessionId, [...(pending.get(sessionId) ?? []), prompt])
    this.replace({ ...this.getSnapshot(), pending })
  }

  /** Main answered `enqueue`. A run that started at once needs no chip; a queued one keeps its chip until an event places it. */
  enqueued(result: EnqueueResult): void {
    if (result.state === 'active') this.settle(result.runId)
  }

  /** This window no longer needs to show the prompt itself: main placed it, ran it, or refused it. */
  settle(runId: string): void {
    const snapshot = this.getSnapshot()
    let pending: Map<string, readonly PendingPrompt[]> | undefined
    for (const [sessionId, items] of snapshot.pending) {
      if (!items.some((item) => item.runId === runId)) continue
      pending ??= new Map(snapshot.pending)
      const rest = items.filter((item) => item.runId !== runId)
      if (rest.length > 0) pending.set(sessionId, rest)
      else pending.delete(sessionId)
    }
    if (pending) this.replace({ ...snapshot, pending })
  }

  private updateRun(sessionId: string, seq: number, change: (run: SessionRun) => SessionRun): void {
    if (seq <= Math.max(this.floor, this.sessionSeqs.get(sessionId) ?? 0)) return
    this.sessionSeqs.set(sessionId, seq)
    const snapshot = this.getSnapshot()
    const sessions = new Map(snapshot.sessions)
    sessions.set(sessionId, change(snapshot.sessions.get(sessionId) ?? idle))
    this.replace({ ...snapshot, sessions })
  }

  private forget(sessionId: string): void {
    const snapshot = this.getSnapshot()
    const sessions = new Map(snapshot.sessions)
    const pending = new Map(snapshot.pending)
    sessions.delete(sessionId)
    pending.delete(sessionId)
    this.replace({ ...snapshot, sessions, pending })
  }
}
