import { missingAttachmentText, ParleyError, type AttachmentRef, type Call, type EnqueueResult, type QueuedPrompt, type RunComplete } from '../../../shared'
import type { EventBroker } from '../events/event-broker'
import type { TurnResult } from './answer-writer'
import type { AttachmentsPort, HistoryPort, ModelPort, ReachabilityPort, RunJournal } from './ports'
import { journaled, newRun, toQueuedPrompt, type ActivePhase, type Run, type StopReason } from './run'
import type { RunCompletions } from './run-completions'
import type { SessionDirectory } from './session-directory'
import type { SessionTitles } from './session-titles'
import { errorMessage, type TurnOutcome, type TurnStop, type TurnWait } from './turn'

/** How the queue has a run answered: a turn against the model, or at once with no token (D5). */
export interface TurnsPort {
  take(run: Run, stop: TurnStop): Promise<TurnOutcome>
  answerWithout(run: Run, reason: 'canceled'): TurnResult
}

export interface SessionQueuesOptions {
  broker: Pick<EventBroker, 'publish'>
  sessions: Pick<SessionDirectory, 'require' | 'options'>
  history: Pick<HistoryPort, 'place'>
  models: Pick<ModelPort, 'large'>
  reachability: ReachabilityPort
  journal: RunJournal
  attachments: Pick<AttachmentsPort, 'has' | 'claim'>
  completions: RunCompletions
  titles: Pick<SessionTitles, 'answerSucceeded' | 'sessionIdle'>
  turns: TurnsPort
  now: () => number
  newId: () => string
  /**
   * Starts no turn from the start, as after finishRunning(): the prompts the journal brings back, and calls accepted,
   * wait there for the next start (G1). For a core opened only to read (the command line's `chats`, `status`, `show`).
   */
  startsNoTurn?: boolean
}

interface SessionState {
  active: Run | undefined
  queue: Run[]
}

/**
 * Each session's active run and FIFO queue: accepting calls (A1–A7), starting and draining turns (B5, B6, C1–C3, C6),
 * and cancelling (D1–D6). Every run it accepts ends here, with exactly one RunComplete.
 */
export class SessionQueues {
  /** Only sessions with an active or queued run have a state: an idle session costs just its directory entry. */
  private readonly states = new Map<string, SessionState>()
  /** Every run not yet done, by runId. */
  private readonly runs = new Map<string, Run>()
  private closing = false
  /** Set by finishRunning() (or from the start, `startsNoTurn`): the turns running go on, and none starts after them. */
  private startingNone: boolean
  /**
   * The recovered runs held after a restart (restore with `hold`) until `releaseHeld()`: a chat whose queue has one
   * starts no turn meanwhile, so a window can withdraw a prompt before it is asked of the model.
   */
  private readonly held = new Set<string>()

  constructor(private readonly options: SessionQueuesOptions) {
    this.startingNone = options.startsNoTurn ?? false
  }

  // ── Accepting a call (rules A1–A7) ──────────────────────────────────────────────────────────────────────────

  /** Accepts a call and answers at once. Throws a ParleyError for a refused call, which changes nothing. */
  accept(call: Call, onComplete: ((complete: RunComplete) => void) | undefined): EnqueueResult {
    if (this.closing) throw new ParleyError('ShuttingDown', 'Parley is shutting down and takes no new prompts.')
    const attachments = this.attachmentsOf(call)
    if (!call.prompt.trim() && !attachments) {
      throw new ParleyError('EmptyPrompt', 'The prompt is empty: write something to send.')
    }
    this.options.sessions.require(call.sessionId)
    const runId = call.runId ?? this.options.newId()
    if (this.runs.has(runId) || this.options.completions.hasEnded(runId)) {
      throw new ParleyError('DuplicateRunId', `A prompt with the run id ${runId} was already accepted.`)
    }
    if (call.retryOf !== undefined) this.requirePrompt(call.sessionId, call.retryOf, 'retry')
    if (call.editOf !== undefined) this.requirePrompt(call.sessionId, call.editOf, 'edit')

    // From here to the end there is no await: choosing "start now" or "queue" and registering the run happen in
    // one step, so two calls in one tick give one active run and one queued run (rule A2).
    const run = newRun({
      runId,
      sessionId: call.sessionId,
      prompt: call.prompt,
      attachments,
      onComplete,
      enqueuedAt: this.options.now(),
      retryOf: call.retryOf,
      editOf: call.editOf
    })
    this.runs.set(runId, run)
    this.options.journal.accepted(journaled(run))
    if (attachments) this.options.attachments.claim(attachments)

    const state = this.stateOf(call.sessionId)
    const online = this.providerReachable(call.sessionId)
    if (!this.startingNone && !state.active && state.queue.length === 0 && online) {
      this.start(state, run)
      return { runId, state: 'active', position: 0 }
    }
    // C3: while the provider can't be reached, a prompt is accepted and waits; it runs by itself when it is back.
    const waiting = !online || this.isWaiting(state)
    run.phase = waiting ? { state: 'waiting' } : { state: 'queued' }
    state.queue.push(run)
    this.publishQueue(run.sessionId, state)
    return { runId, state: waiting ? 'waiting' : 'queued', position: state.queue.length }
  }

  /**
   * A call's attachments as refs, each one main holds (`AttachmentMissing` otherwise). An edit without attachments of
   * its own carries over the edited message's (H3); a retry sends its message's own, from history.
   */
  private attachmentsOf(call: Call): AttachmentRef[] | undefined {
    const given = call.attachments ?? (call.editOf === undefined ? [] : (this.options.history.place(call.editOf)?.attachments ?? []))
    const refs: AttachmentRef[] = []
    for (const attachment of given) {
      if (!('id' in attachment)) {
        throw new ParleyError('BadRequest', `${attachment.name} was not stored first: the agent takes attachments as refs only.`)
      }
      if (!this.options.attachments.has(attachment.id)) {
        throw new ParleyError('AttachmentMissing', missingAttachmentText(attachment.name))
      }
      refs.push(attachment)
    }
    return refs.length > 0 ? refs : undefined
  }

  /** The attachments the runs not yet done use: never removed while a prompt waits to send them. */
  attachmentsInUse(): Set<string> {
    const ids = new Set<string>()
    for (const run of this.runs.values()) for (const ref of run.attachments ?? []) ids.add(ref.id)
    return ids
  }

  /** Resolves with the run's RunComplete; undefined when the run is not active or queued. */
  completion(runId: string): Promise<RunComplete> | undefined {
    const run = this.runs.get(runId)
    if (!run) return undefined
    return new Promise<RunComplete>((resolve) => run.waiters.push(resolve))
  }

  /** Whether a run with this id is active or queued. */
  has(runId: string): boolean {
    return this.runs.has(runId)
  }

  /**
   * G1: runs the journal kept go back to the tails of their queues, in order, and run as usual. With `hold`, they wait
   * for `releaseHeld()` first (the recovery hold): their chats start no turn until then.
   */
  restore(runs: Run[], hold = false): void {
    const touched = new Set<string>()
    for (const run of runs) {
      this.runs.set(run.runId, run)
      this.stateOf(run.sessionId).queue.push(run)
      if (hold) this.held.add(run.runId)
      touched.add(run.sessionId)
    }
    for (const sessionId of touched) {
      const state = this.stateOf(sessionId)
      this.publishQueue(sessionId, state)
      this.drain(sessionId, state)
    }
  }

  /**
   * The recovery hold is over: every chat whose queue waited on a recovered run starts its head, in order. Does
   * nothing when nothing is held (a second window's, or a later reconnect's).
   */
  releaseHeld(): void {
    if (this.held.size === 0) return
    this.held.clear()
    for (const [sessionId, state] of [...this.states]) this.drain(sessionId, state)
  }

  // ── Queries (rule A5) ───────────────────────────────────────────────────────────────────────────────────────

  isSessionBusy(sessionId: string): boolean {
    return this.states.get(sessionId)?.active !== undefined
  }

  /** Whether the session has a run active or queued (a branch switch waits for none, H3). */
  hasRuns(sessionId: string): boolean {
    return this.states.has(sessionId)
  }

  queuedPrompts(sessionId: string): number {
    return this.states.get(sessionId)?.queue.length ?? 0
  }

  queuedPromptList(sessionId: string): QueuedPrompt[] {
    return (this.states.get(sessionId)?.queue ?? []).map(toQueuedPrompt)
  }

  activeRunId(sessionId: string): string | undefined {
    return this.states.get(sessionId)?.active?.runId
  }

  /** Sessions with an active or queued run. */
  busySessions(): string[] {
    return [...this.states.keys()]
  }

  /**
   * The provider answers again (C3), or it was loading and its waiting turns may try again (C6): every session whose
   * queue waited starts its head, in order, as its own turn. A provider that still can't take it sends the head back
   * to wait. Answers whether any turn started.
   */
  providerBack(): boolean {
    let started = false
    for (const [sessionId, state] of [...this.states]) {
      if (state.active || state.queue.length === 0) continue
      for (const run of state.queue) run.phase = { state: 'queued' }
      this.drain(sessionId, state)
      if (state.active) started = true
    }
    return started
  }

  // ── Cancelling (rules D1–D6) ────────────────────────────────────────────────────────────────────────────────

  /** Aborts the active run and clears the queue; every run touched gets its own cancelled RunComplete (D1). */
  cancel(sessionId: string): void {
    const state = this.states.get(sessionId)
    if (!state) return
    this.removeQueued(state, state.queue.slice())
    if (state.active?.phase.state === 'active') this.stop(state.active.phase, 'cancel')
  }

  /** Cancels one run, active or queued (D2). Unknown run ids change nothing and answer false. */
  cancelRun(runId: string): boolean {
    const run = this.runs.get(runId)
    if (!run) return false
    if (run.phase.state === 'active') {
      this.stop(run.phase, 'cancel')
      return true
    }
    const state = this.states.get(run.sessionId)
    if (state) this.removeQueued(state, [run])
    return true
  }

  /**
   * The turn `runId` runs, settled once its RunComplete is out (its answer finished first, B6); undefined when the run
   * is not active. What a cancel waits for before it answers, so that a cancel answered is one a crash keeps.
   */
  turnOf(runId: string): Promise<void> | undefined {
    const phase = this.runs.get(runId)?.phase
    return phase?.state === 'active' ? phase.settled : undefined
  }

  /** The turn running in `sessionId`, as `turnOf` says; undefined when none runs. */
  activeTurn(sessionId: string): Promise<void> | undefined {
    const phase = this.states.get(sessionId)?.active?.phase
    return phase?.state === 'active' ? phase.settled : undefined
  }

  /** Removes every queued prompt, each with a cancelled RunComplete; the active run goes on (D3). */
  clearQueue(sessionId: string): number {
    const state = this.states.get(sessionId)
    if (!state || state.queue.length === 0) return 0
    const removed = state.queue.slice()
    this.removeQueued(state, removed)
    return removed.length
  }

  /**
   * D6: takes no more calls, stops every active run as interrupted, and answers the turns to wait for. Queued runs stay
   * in the journal for the next start and get no RunComplete.
   */
  close(): Promise<void>[] {
    this.closing = true
    const settling: Promise<void>[] = []
    for (const state of this.states.values()) {
      if (state.active?.phase.state !== 'active') continue
      this.stop(state.active.phase, 'shutdown')
      settling.push(state.active.phase.settled)
    }
    return settling
  }

  /**
   * For a core that leaves while others' work runs (the command line's in-process core): no turn starts from now
   * on, and calls are still accepted, queued in the journal for the next start (G1). Answers the turns running, to
   * wait for: each ends as usual, with its RunComplete (B5).
   */
  finishRunning(): Promise<void>[] {
    this.startingNone = true
    return this.settling()
  }

  /** The turns still running. */
  settling(): Promise<void>[] {
    const pending: Promise<void>[] = []
    for (const state of this.states.values()) {
      if (state.active?.phase.state === 'active') pending.push(state.active.phase.settled)
    }
    return pending
  }

  private removeQueued(state: SessionState, runs: Run[]): void {
    const first = runs[0]
    if (!first) return
    const sessionId = first.sessionId
    const removing = new Set(runs)
    state.queue = state.queue.filter((run) => !removing.has(run))
    // The queue is published first, so whoever hears a RunComplete no longer sees that prompt queued.
    this.publishQueue(sessionId, state)
    for (const run of runs) {
      // A prompt that waited after a failed connection is already in history: it gets its cancelled answer (D5).
      const result = run.userMessage ? this.options.turns.answerWithout(run, 'canceled') : { text: '', cancelled: true }
      this.retire(run, result)
    }
    if (!state.active && state.queue.length === 0) this.options.titles.sessionIdle(sessionId)
    this.forgetIfIdle(sessionId, state)
    // A chat held for its recovered runs that has none left (they were withdrawn) starts what was sent behind them.
    if (!state.active && state.queue.length > 0) this.drain(sessionId, state)
  }

  private stop(phase: ActivePhase, reason: StopReason): void {
    phase.stopReason ??= reason
    phase.controller.abort()
  }

  // ── Running the queue (rules A4, A6, B5, B6, C1, C3, C6) ────────────────────────────────────────────────────

  /** Registers the run as active, with its AbortController, before anything async happens (A4). */
  private start(state: SessionState, run: Run): void {
    let follow!: (turn: Promise<void>) => void
    const phase: ActivePhase = {
      state: 'active',
      controller: new AbortController(),
      stopReason: undefined,
      settled: new Promise<void>((resolve) => (follow = resolve))
    }
    state.active = run
    run.phase = phase
    this.options.journal.started(run.runId)
    this.options.broker.publish({ type: 'run.started', runId: run.runId, sessionId: run.sessionId })
    this.options.broker.publish({ type: 'session.busy', sessionId: run.sessionId, busy: true })
    follow(this.execute(state, run, phase))
  }

  private async execute(state: SessionState, run: Run, phase: ActivePhase): Promise<void> {
    let outcome: TurnOutcome
    try {
      outcome = await this.options.turns.take(run, phase)
    } catch (error) {
      // A bug in Parley, not a provider failure: the run still ends with exactly one RunComplete.
      outcome = { text: '', cancelled: false, error: `Parley could not run this prompt: ${errorMessage(error)}` }
    }
    // A6: clear the active entry only if it is still this run's.
    if (state.active === run) state.active = undefined
    this.options.broker.publish({ type: 'session.busy', sessionId: run.sessionId, busy: false })
    if ('wait' in outcome) {
      this.wait(state, run, outcome)
      return
    }
    // B6: RunComplete after the active entry is cleared and the finished message is out.
    this.retire(run, outcome)
    if (!outcome.error && !outcome.cancelled) this.options.titles.answerSucceeded(run.sessionId)
    // C1: the head of the queue starts as a turn of its own.
    this.drain(run.sessionId, state)
    // E2: a title is asked for only once the session's answers are done.
    if (!state.active && state.queue.length === 0) this.options.titles.sessionIdle(run.sessionId)
  }

  /**
   * C3, C6: the run goes back to the head of its queue, waiting, and the queue behind it waits too. No RunComplete.
   * The monitor hears why, and lets the queue try again when the provider may take it.
   */
  private wait(state: SessionState, run: Run, why: TurnWait): void {
    state.queue.unshift(run)
    for (const queued of state.queue) queued.phase = { state: 'waiting' }
    this.options.journal.accepted(journaled(run))
    this.publishQueue(run.sessionId, state)
    if (why.wait === 'loading') this.options.reachability.loading(why.providerId, why.detail)
    else this.options.reachability.unreachable(why.providerId, why.detail)
  }

  private drain(sessionId: string, state: SessionState): void {
    if (this.closing || state.active) return
    const next = state.queue[0]
    if (!next) {
      this.forgetIfIdle(sessionId, state)
      return
    }
    // The core is leaving; the queue waits in the journal for the next start.
    if (this.startingNone) return
    // The recovery hold: a window may still withdraw a recovered prompt (releaseHeld ends it).
    if (this.isHeld(state)) return
    // C3: a waiting queue stays put until the provider answers again (providerBack).
    if (this.isWaiting(state) || !this.providerReachable(sessionId)) {
      for (const run of state.queue) run.phase = { state: 'waiting' }
      return
    }
    state.queue.shift()
    this.publishQueue(sessionId, state)
    this.start(state, next)
  }

  /** Publishes the run's one RunComplete and forgets it (B5). */
  private retire(run: Run, result: TurnResult): void {
    if (run.phase.state === 'done') return
    run.phase = { state: 'done' }
    this.runs.delete(run.runId)
    this.held.delete(run.runId)
    const complete: RunComplete = { runId: run.runId, sessionId: run.sessionId, text: result.text, cancelled: result.cancelled }
    if (result.messageId) complete.messageId = result.messageId
    if (result.error) complete.error = result.error
    this.options.completions.publish(complete)
    for (const waiter of run.waiters) waiter(complete)
  }

  // ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

  private stateOf(sessionId: string): SessionState {
    let state = this.states.get(sessionId)
    if (!state) {
      state = { active: undefined, queue: [] }
      this.states.set(sessionId, state)
    }
    return state
  }

  /** Whether the chat's queue has a recovered run the recovery hold still holds. */
  private isHeld(state: SessionState): boolean {
    return this.held.size > 0 && state.queue.some((run) => this.held.has(run.runId))
  }

  private isWaiting(state: SessionState): boolean {
    return state.queue[0]?.phase.state === 'waiting'
  }

  /**
   * Whether the provider of the chat's next turn (its own model's, or the default's) can be reached; a settings
   * problem counts as reachable (the turn says).
   */
  private providerReachable(sessionId: string): boolean {
    let providerId: string
    try {
      providerId = this.options.models.large(this.options.sessions.options(sessionId)?.model).provider.id
    } catch {
      return true
    }
    return this.options.reachability.isReachable(providerId)
  }

  /** A retry or an edit names a prompt of this chat (H3). */
  private requirePrompt(sessionId: string, messageId: string, what: 'retry' | 'edit'): void {
    const place = this.options.history.place(messageId)
    if (!place || place.sessionId !== sessionId || place.role !== 'user') {
      throw new ParleyError('MessageMissing', `There is no prompt ${messageId} in this chat to ${what}.`)
    }
  }

  private publishQueue(sessionId: string, state: SessionState): void {
    this.options.broker.publish({ type: 'queue.changed', sessionId, queue: state.queue.map(toQueuedPrompt) })
  }

  private forgetIfIdle(sessionId: string, state: SessionState): void {
    if (!state.active && state.queue.length === 0 && this.states.get(sessionId) === state) this.states.delete(sessionId)
  }
}
