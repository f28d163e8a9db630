import { randomUUID } from 'node:crypto'
import {
  messageText,
  ParleyError,
  type Message,
  type Call,
  type EnqueueResult,
  type QueuedPrompt,
  type RunComplete,
  type Session
} from '../../../shared'
import type { EventBroker } from '../events/event-broker'
import type { TurnResult } from './answer-writer'
import { deltaIntervalMs } from './delta-coalescer'
import {
  alwaysReachable,
  noJournal,
  type AgentSettings,
  type HistoryPort,
  type JournaledRun,
  type ModelPort,
  type ReachabilityPort,
  type RunJournal
} from './ports'
import { RecentIds } from './recent-ids'
import { journaled, newRun, toQueuedPrompt, type ActivePhase, type Run, type StopReason } from './run'
import { SessionDirectory } from './session-directory'
import { SessionTitles } from './session-titles'
import { answerWithout, errorMessage, takeTurn, type TurnOutcome, type TurnPorts, type TurnWait } from './turn'

export interface SessionAgentOptions {
  broker: EventBroker
  history: HistoryPort
  models: ModelPort
  settings?: () => AgentSettings
  journal?: RunJournal
  /** Which providers can be reached; without it a failed connection fails the run instead of waiting (C3). */
  reachability?: ReachabilityPort
  sessions?: SessionDirectory
  now?: () => number
  newId?: () => string
  deltaIntervalMs?: number
  /** How long `shutdown()` waits for active runs to settle (rule D6). */
  shutdownGraceMs?: number
  /** How many ended runIds are remembered to refuse a reused one (rule A7). */
  rememberedRunIds?: number
  /** The longest a retry-after is honoured (C4); a longer one fails the run with the provider's error. */
  maxRetryWaitMs?: number
}

interface SessionState {
  active: Run | undefined
  queue: Run[]
}

const defaultSettings: AgentSettings = { systemPrompt: '', maxRetries: 3, loadingTimeoutMs: 600_000 }

/**
 * Accepts prompts per chat session, runs one turn at a time per session, queues what arrives while a session is
 * busy, and publishes exactly one RunComplete per accepted run. The rules are in docs/agent-semantics.md; each
 * method names the rules it keeps. It talks to the world only through its ports: the broker, history and models.
 */
export class SessionAgent {
  readonly sessions: SessionDirectory
  private readonly broker: EventBroker
  private readonly history: HistoryPort
  private readonly models: ModelPort
  private readonly journal: RunJournal
  private readonly reachability: ReachabilityPort
  private readonly now: () => number
  private readonly newId: () => string
  /** What a turn gets from the world (turn.ts). */
  private readonly turnPorts: TurnPorts
  private readonly shutdownGraceMs: number
  /** Only sessions with an active or queued run have a state: an idle session costs just its directory entry. */
  private readonly states = new Map<string, SessionState>()
  private readonly runs = new Map<string, Run>()
  private readonly endedRunIds: RecentIds
  private readonly background = new Map<Promise<void>, AbortController>()
  private readonly titles: SessionTitles
  private closing = false

  constructor(options: SessionAgentOptions) {
    this.broker = options.broker
    this.history = options.history
    this.models = options.models
    this.journal = options.journal ?? noJournal
    this.reachability = options.reachability ?? alwaysReachable
    this.sessions = options.sessions ?? new SessionDirectory()
    this.now = options.now ?? Date.now
    this.newId = options.newId ?? randomUUID
    this.shutdownGraceMs = options.shutdownGraceMs ?? 5000
    this.endedRunIds = new RecentIds(options.rememberedRunIds ?? 10_000)
    this.titles = new SessionTitles({
      broker: this.broker,
      sessions: this.sessions,
      models: this.models,
      background: (work) => this.inBackground(work)
    })
    this.turnPorts = {
      broker: this.broker,
      history: this.history,
      models: this.models,
      settings: options.settings ?? (() => defaultSettings),
      reachability: this.reachability,
      // E1: a session's first user message owes it a title.
      userMessageWritten: (sessionId, seed) => {
        if (this.sessions.markStarted(sessionId)) this.titles.firstPrompt(sessionId, seed)
      },
      now: this.now,
      newId: this.newId,
      deltaIntervalMs: options.deltaIntervalMs ?? deltaIntervalMs,
      maxRetryWaitMs: options.maxRetryWaitMs ?? 5 * 60_000
    }
  }

  // ── Sessions ────────────────────────────────────────────────────────────────────────────────────────────────

  createSession(options: { id?: string; title?: string } = {}): Session {
    const at = this.now()
    const title = options.title?.trim()
    const session: Session = title
      ? { id: options.id ?? this.newId(), title, titleSource: 'user', createdAt: at, updatedAt: at }
      : { id: options.id ?? this.newId(), title: null, createdAt: at, updatedAt: at }
    this.sessions.add(session)
    this.broker.publish({ type: 'session.created', session })
    return session
  }

  /**
   * H3: the branch through `messageId` becomes the session's current one, continued to its newest message; later
   * turns follow it. Refused while the session has a prompt running or waiting, whose answer would land elsewhere.
   */
  switchBranch(sessionId: string, messageId: string): string {
    this.requireSession(sessionId)
    const place = this.history.place(messageId)
    if (!place || place.sessionId !== sessionId) {
      throw new ParleyError('MessageMissing', `There is no message ${messageId} in this chat.`)
    }
    if (this.states.has(sessionId)) {
      throw new ParleyError('SessionBusy', 'This chat has a prompt running or waiting: switch branches once it is answered, or stop it.')
    }
    const leafId = this.history.newestLeafUnder(sessionId, messageId)
    this.broker.publish({ type: 'session.branch', sessionId, leafId })
    return leafId
  }

  renameSession(sessionId: string, title: string): void {
    this.requireSession(sessionId)
    const clean = title.trim()
    if (!clean) throw new ParleyError('BadRequest', 'A session title cannot be empty.')
    this.sessions.setTitle(sessionId, clean, 'user')
    // A new name is not activity: the sidebar's order (last activity) stays as it was.
    this.broker.publish({ type: 'session.titled', sessionId, title: clean, source: 'user' })
  }

  /** Cancels the session's runs (each gets its RunComplete), then forgets the session. */
  deleteSession(sessionId: string): void {
    this.requireSession(sessionId)
    this.cancel(sessionId)
    this.titles.forget(sessionId)
    this.sessions.remove(sessionId)
    this.broker.publish({ type: 'session.deleted', sessionId })
  }

  // ── Accepting a call (rules A1–A7) ──────────────────────────────────────────────────────────────────────────

  /** Accepts a call and answers at once. Throws a ParleyError for a refused call, which changes nothing. */
  enqueue(call: Call): EnqueueResult {
    return this.accept(call, undefined)
  }

  /**
   * The core's blocking call (rule A3): resolves to the RunComplete when the call starts at once, or to `null` at
   * once when it was queued behind a busy session.
   */
  async run(call: Call): Promise<RunComplete | null> {
    let resolveComplete!: (complete: RunComplete) => void
    const completed = new Promise<RunComplete>((resolve) => (resolveComplete = resolve))
    const accepted = this.accept(call, resolveComplete)
    return accepted.state === 'active' ? completed : null
  }

  /** What ParleyApi.run does: accept, then resolve when this run completes, however long it waits in the queue. */
  runToCompletion(call: Call): Promise<RunComplete> {
    return new Promise<RunComplete>((resolve, reject) => {
      try {
        this.accept(call, resolve)
      } catch (error) {
        reject(error)
      }
    })
  }

  /** Resolves with the run's RunComplete; undefined when the run is not active or queued. */
  completion(runId: string): Promise<RunComplete> | undefined {
    const run = this.runs.get(runId)
    if (!run) return undefined
    return new Promise<RunComplete>((resolve) => run.waiters.push(resolve))
  }

  private accept(call: Call, onComplete: ((complete: RunComplete) => void) | undefined): EnqueueResult {
    if (this.closing) throw new ParleyError('ShuttingDown', 'Parley is shutting down and takes no new prompts.')
    if (!call.prompt.trim() && !call.attachments?.length) {
      throw new ParleyError('EmptyPrompt', 'The prompt is empty: write something to send.')
    }
    this.requireSession(call.sessionId)
    const runId = call.runId ?? this.newId()
    if (this.runs.has(runId) || this.endedRunIds.has(runId)) {
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
      attachments: call.attachments,
      onComplete,
      enqueuedAt: this.now(),
      retryOf: call.retryOf,
      editOf: call.editOf
    })
    this.runs.set(runId, run)
    this.journal.accepted(journaled(run))

    const state = this.stateOf(call.sessionId)
    const online = this.providerReachable()
    if (!state.active && state.queue.length === 0 && online) {
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

  // ── Recovery after a crash or a quit (rules G1, G2) ─────────────────────────────────────────────────────────

  /**
   * G1: the prompts the journal kept come back, in their order, and run as usual; their RunComplete comes when they
   * have really run. A prompt whose session is gone is dropped from the journal.
   */
  restoreQueued(entries: JournaledRun[]): void {
    const touched = new Set<string>()
    for (const entry of entries) {
      if (!this.sessions.has(entry.sessionId) || this.runs.has(entry.runId)) {
        this.journal.ended(entry.runId)
        continue
      }
      const { runId, sessionId, prompt, enqueuedAt, userMessage, retryOf, editOf } = entry
      const run = newRun({ runId, sessionId, prompt, enqueuedAt, userMessage, retryOf, editOf })
      this.runs.set(run.runId, run)
      this.stateOf(entry.sessionId).queue.push(run)
      touched.add(entry.sessionId)
    }
    for (const sessionId of touched) {
      const state = this.stateOf(sessionId)
      this.publishQueue(sessionId, state)
      this.drain(sessionId, state)
    }
  }

  /**
   * G2: a run a crash cut off: its assistant message is finished `interrupted` with the text it had, and its one
   * RunComplete carries `error: "interrupted"`.
   */
  finishInterrupted(entry: JournaledRun, message: Message | undefined): void {
    const complete: RunComplete = { runId: entry.runId, sessionId: entry.sessionId, text: '', cancelled: false, error: 'interrupted' }
    if (message) {
      const final: Message = { ...message, status: 'finished', finishReason: 'interrupted' }
      this.broker.publish({ type: 'message.finished', message: final })
      complete.messageId = final.id
      complete.text = messageText(final)
    } else if (entry.userMessage && this.sessions.has(entry.sessionId)) {
      // The answer names no parent, as it always has (open: should it name its prompt, H3?).
      const result = answerWithout(this.turnPorts, { runId: entry.runId, sessionId: entry.sessionId, userMessage: undefined }, 'interrupted')
      if (result.messageId) complete.messageId = result.messageId
    }
    this.endedRunIds.add(entry.runId)
    this.journal.ended(entry.runId, complete)
    this.broker.publish({ type: 'run.complete', complete })
  }

  /**
   * G3, G4: a run whose outcome the journal knows but whose RunComplete never went out (a crash came between its
   * answer finishing, or its end, and the RunComplete): published now, once, with no new message.
   */
  publishRecovered(complete: RunComplete): void {
    this.endedRunIds.add(complete.runId)
    this.journal.ended(complete.runId, complete)
    this.broker.publish({ type: 'run.complete', complete })
  }

  // ── Queries (rule A5) ───────────────────────────────────────────────────────────────────────────────────────

  isSessionBusy(sessionId: string): boolean {
    return this.states.get(sessionId)?.active !== undefined
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

  /** Sessions with an active or queued run. */
  busySessions(): string[] {
    return [...this.states.keys()]
  }

  // ── Cancelling (rules D1–D5) ────────────────────────────────────────────────────────────────────────────────

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

  /** Removes every queued prompt, each with a cancelled RunComplete; the active run goes on (D3). */
  clearQueue(sessionId: string): number {
    const state = this.states.get(sessionId)
    if (!state || state.queue.length === 0) return 0
    const removed = state.queue.slice()
    this.removeQueued(state, removed)
    return removed.length
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
      const result = run.userMessage ? answerWithout(this.turnPorts, run, 'canceled') : { text: '', cancelled: true }
      this.retire(run, result)
    }
    if (!state.active && state.queue.length === 0) this.titles.sessionIdle(sessionId)
    this.forgetIfIdle(sessionId, state)
  }

  private stop(phase: ActivePhase, reason: StopReason): void {
    phase.stopReason ??= reason
    phase.controller.abort()
  }

  // ── Shutdown (rule D6) ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Aborts active runs and waits up to the grace period for them to settle. Queued prompts stay in the journal for
   * the next start and get no RunComplete. After this, calls are refused with ShuttingDown.
   */
  async shutdown(): Promise<void> {
    this.closing = true
    const settling: Promise<void>[] = []
    for (const state of this.states.values()) {
      if (state.active?.phase.state !== 'active') continue
      this.stop(state.active.phase, 'shutdown')
      settling.push(state.active.phase.settled)
    }
    for (const controller of this.background.values()) controller.abort()
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      Promise.allSettled([...settling, ...this.background.keys()]),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, this.shutdownGraceMs)))
    ])
    clearTimeout(timer)
  }

  /** Resolves when no run is active or queued and no title is being made (tests and benchmarks). */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...this.background.keys()]
      for (const state of this.states.values()) {
        if (state.active?.phase.state === 'active') pending.push(state.active.phase.settled)
      }
      if (pending.length === 0) return
      await Promise.allSettled(pending)
    }
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
    this.journal.started(run.runId)
    this.broker.publish({ type: 'run.started', runId: run.runId, sessionId: run.sessionId })
    this.broker.publish({ type: 'session.busy', sessionId: run.sessionId, busy: true })
    follow(this.execute(state, run, phase))
  }

  private async execute(state: SessionState, run: Run, phase: ActivePhase): Promise<void> {
    let result: TurnOutcome
    try {
      result = await takeTurn(this.turnPorts, run, phase)
    } catch (error) {
      // A bug in Parley, not a provider failure: the run still ends with exactly one RunComplete.
      result = { text: '', cancelled: false, error: `Parley could not run this prompt: ${errorMessage(error)}` }
    }
    // A6: clear the active entry only if it is still this run's.
    if (state.active === run) state.active = undefined
    this.broker.publish({ type: 'session.busy', sessionId: run.sessionId, busy: false })
    if ('wait' in result) {
      this.wait(state, run, result)
      return
    }
    // B6: RunComplete after the active entry is cleared and the finished message is out.
    this.retire(run, result)
    if (!result.error && !result.cancelled) this.titles.answerSucceeded(run.sessionId)
    // C1: the head of the queue starts as a turn of its own.
    this.drain(run.sessionId, state)
    // E2: a title is asked for only once the session's answers are done.
    if (!state.active && state.queue.length === 0) this.titles.sessionIdle(run.sessionId)
  }

  /**
   * C3, C6: the run goes back to the head of its queue, waiting, and the queue behind it waits too. No RunComplete.
   * The monitor hears why, and lets the queue try again when the provider may take it.
   */
  private wait(state: SessionState, run: Run, why: TurnWait): void {
    state.queue.unshift(run)
    for (const queued of state.queue) queued.phase = { state: 'waiting' }
    this.journal.accepted(journaled(run))
    this.publishQueue(run.sessionId, state)
    if (why.wait === 'loading') this.reachability.loading(why.providerId, why.detail)
    else this.reachability.unreachable(why.providerId, why.detail)
  }

  private drain(sessionId: string, state: SessionState): void {
    if (this.closing || state.active) return
    const next = state.queue[0]
    if (!next) {
      this.forgetIfIdle(sessionId, state)
      return
    }
    // C3: a waiting queue stays put until the provider answers again (providerBack).
    if (this.isWaiting(state) || !this.providerReachable()) {
      for (const run of state.queue) run.phase = { state: 'waiting' }
      return
    }
    state.queue.shift()
    this.publishQueue(sessionId, state)
    this.start(state, next)
  }

  private stateOf(sessionId: string): SessionState {
    let state = this.states.get(sessionId)
    if (!state) {
      state = { active: undefined, queue: [] }
      this.states.set(sessionId, state)
    }
    return state
  }

  private isWaiting(state: SessionState): boolean {
    return state.queue[0]?.phase.state === 'waiting'
  }

  /** Whether the provider of the next turn can be reached; a settings problem counts as reachable (the turn says). */
  private providerReachable(): boolean {
    let providerId: string
    try {
      providerId = this.models.large().provider.id
    } catch {
      return true
    }
    return this.reachability.isReachable(providerId)
  }

  /** Publishes the run's one RunComplete and forgets it (B5). */
  private retire(run: Run, result: TurnResult): void {
    if (run.phase.state === 'done') return
    run.phase = { state: 'done' }
    this.runs.delete(run.runId)
    this.endedRunIds.add(run.runId)
    const complete: RunComplete = { runId: run.runId, sessionId: run.sessionId, text: result.text, cancelled: result.cancelled }
    if (result.messageId) complete.messageId = result.messageId
    if (result.error) complete.error = result.error
    this.journal.ended(run.runId, complete)
    this.broker.publish({ type: 'run.complete', complete })
    for (const waiter of run.waiters) waiter(complete)
  }

  // ── Background work (titles: rules E1–E3) ───────────────────────────────────────────────────────────────────

  private inBackground(work: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController()
    const task = work(controller.signal).catch(() => {})
    this.background.set(task, controller)
    void task.finally(() => this.background.delete(task))
  }

  // ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

  private requireSession(sessionId: string): void {
    if (!this.sessions.has(sessionId)) {
      throw new ParleyError('SessionMissing', `There is no chat session with the id ${sessionId}.`)
    }
  }

  /** A retry or an edit names a prompt of this chat (H3). */
  private requirePrompt(sessionId: string, messageId: string, what: 'retry' | 'edit'): void {
    const place = this.history.place(messageId)
    if (!place || place.sessionId !== sessionId || place.role !== 'user') {
      throw new ParleyError('MessageMissing', `There is no prompt ${messageId} in this chat to ${what}.`)
    }
  }

  private publishQueue(sessionId: string, state: SessionState): void {
    this.broker.publish({ type: 'queue.changed', sessionId, queue: state.queue.map(toQueuedPrompt) })
  }

  private forgetIfIdle(sessionId: string, state: SessionState): void {
    if (!state.active && state.queue.length === 0 && this.states.get(sessionId) === state) this.states.delete(sessionId)
  }
}
