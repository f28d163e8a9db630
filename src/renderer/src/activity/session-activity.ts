import type { EnqueueResult, ParleyEvent, QueuedPrompt, Status } from '../../../shared'
import { ExternalStore } from '../external-store'

/** What a session is doing right now, as main reports it. */
export interface SessionRun {
  busy: boolean
  /** The run that is answering; what Stop cancels. */
  activeRunId: string | undefined
  queue: readonly QueuedPrompt[]
}

/** A prompt this window sent that main has not shown in a queue, started or finished yet. */
export interface PendingPrompt {
  runId: string
  prompt: string
}

export interface ProviderState {
  providerId: string
  /** null until main has tried the provider. */
  reachable: boolean | null
  retryInSeconds?: number | undefined
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

/** One chip above the composer: a prompt waiting its turn, in order. */
export interface QueuedChip {
  runId: string
  prompt: string
  /** `sending` until main has answered; `waiting` when the provider can't be reached (rule C3). */
  state: 'sending' | 'queued' | 'waiting'
}

/** The queue main reports, then this window's prompts main hasn't placed yet (only if they'll have to wait). */
export function queuedChips(snapshot: ActivitySnapshot, sessionId: string | undefined): QueuedChip[] {
  if (!sessionId) return []
  const run = sessionRun(snapshot, sessionId)
  const chips: QueuedChip[] = run.queue.map((item) => ({ runId: item.runId, prompt: item.prompt, state: item.state }))
  if (run.busy || run.queue.length > 0) {
    const shown = new Set(chips.map((chip) => chip.runId))
    for (const item of snapshot.pending.get(sessionId) ?? []) {
      if (!shown.has(item.runId)) chips.push({ runId: item.runId, prompt: item.prompt, state: 'sending' })
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
          activeRunId: event.busy ? run.activeRunId : undefined
        }))
        return
      case 'run.started':
        this.settle(event.runId)
        this.updateRun(event.sessionId, event.seq, (run) => ({ ...run, activeRunId: event.runId }))
        return
      case 'run.complete': {
        const { runId, sessionId } = event.complete
        this.settle(runId)
        this.updateRun(sessionId, event.seq, (run) =>
          run.activeRunId === runId ? { ...run, activeRunId: undefined } : run
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
          retryInSeconds: event.retryInSeconds,
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
      sessions.set(item.sessionId, { busy: item.busy, activeRunId: item.activeRunId, queue: item.queue })
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
      providers.set(provider.providerId, { providerId: provider.providerId, reachable: provider.reachable })
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
