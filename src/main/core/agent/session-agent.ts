import { randomUUID } from 'node:crypto'
import { messageText, type ArchivedChat, type Call, type ChatArchive, type EnqueueResult, type ImportResult, type Message, type QueuedPrompt, type RunComplete, type Session, type SessionOptionsPatch } from '../../../shared'
import type { EventBroker } from '../events/event-broker'
import { BackgroundWork } from './background-work'
import { importChats } from './chat-import'
import { restoreChats } from './chat-restore'
import { deltaIntervalMs } from './delta-coalescer'
import {
  alwaysReachable,
  noAttachments,
  noJournal,
  type AttachmentsPort,
  type AgentSettings,
  type HistoryPort,
  type JournaledRun,
  type ModelPort,
  type ReachabilityPort,
  type RunJournal
} from './ports'
import { RecoveryHold } from './recovery-hold'
import { RunCompletions } from './run-completions'
import { RunRecovery } from './run-recovery'
import { SessionChanges } from './session-changes'
import { SessionDirectory } from './session-directory'
import { LearnedContexts } from '../providers/context-overflow'
import { SessionQueues } from './session-queues'
import { SessionTitles } from './session-titles'
import { titleSeed } from './title'
import { answerWithout, takeTurn, type TurnPorts } from './turn'
import type { ServedContextPort } from '../providers/served-context'
import type { LoadingIntoMemoryPort } from './first-byte-watch'

/** How many untitled chats, the most recently used, are titled at a start (E1 across a crash). */
export const untitledTitledAtStart = 5

export interface SessionAgentOptions {
  broker: EventBroker
  history: HistoryPort
  models: ModelPort
  settings?: () => AgentSettings
  journal?: RunJournal
  /** Main's attachment files (issue 14); without it a call with attachments is refused with AttachmentMissing. */
  attachments?: AttachmentsPort
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
  /** B2: the context each server runs its model with, when it says; absent, the settings' window alone. */
  servedContexts?: ServedContextPort
  /** C6: whether Ollama or LM Studio is loading the model a request has waited on for a while; absent, nobody is asked. */
  loadingIntoMemory?: LoadingIntoMemoryPort
  /** Starts no turn at all, as after `finishRunning()`: queued prompts wait in the journal for the next start (G1). */
  startsNoTurn?: boolean
  /**
   * A8: how long, at most, the prompts a restart brought back wait for a window to withdraw some (`windowReady` ends
   * it sooner). 0, the default: they start at once (a core no window reaches).
   */
  recoveryHoldMs?: number
}

const defaultSettings: AgentSettings = { systemPrompt: '', maxRetries: 3, loadingTimeoutMs: 600_000 }

/**
 * Accepts prompts per chat session, runs one turn at a time per session, queues what arrives while a session is
 * busy, and publishes exactly one RunComplete per accepted run. The rules are in docs/agent-semantics.md. This is the
 * one face the rest of Parley calls; the work is done by its parts: the queues (session-queues.ts), the turn
 * (turn.ts), the titles, the session calls (session-changes.ts) and recovery (run-recovery.ts).
 */
export class SessionAgent {
  readonly sessions: SessionDirectory
  private readonly broker: EventBroker
  private readonly history: HistoryPort
  private readonly queues: SessionQueues
  private readonly changes: SessionChanges
  private readonly recovery: RunRecovery
  private readonly titles: SessionTitles
  private readonly background = new BackgroundWork()
  /** The import running, if any: the next one starts after it. */
  private imports: Promise<unknown> = Promise.resolve()
  private readonly shutdownGraceMs: number
  private readonly recoveryHold: RecoveryHold

  constructor(options: SessionAgentOptions) {
    const { broker, history, models } = options
    this.broker = broker
    this.history = history
    const journal = options.journal ?? noJournal
    const reachability = options.reachability ?? alwaysReachable
    const attachments = options.attachments ?? noAttachments
    const now = options.now ?? Date.now
    const newId = options.newId ?? randomUUID
    const sessions = (this.sessions = options.sessions ?? new SessionDirectory())
    this.shutdownGraceMs = options.shutdownGraceMs ?? 5000
    const titles = (this.titles = new SessionTitles({
      broker,
      sessions,
      models,
      background: (work) => this.background.start(work)
    }))
    const completions = new RunCompletions(broker, journal, options.rememberedRunIds ?? 10_000)
    const turnPorts: TurnPorts = {
      broker,
      history,
      models,
      settings: options.settings ?? (() => defaultSettings),
      sessionOptions: (sessionId) => sessions.options(sessionId),
      reachability,
      attachments,
      journalWritten: () => journal.written(),
      // E1: a session's first user message owes it a title.
      userMessageWritten: (sessionId, seed) => {
        if (sessions.markStarted(sessionId)) titles.firstPrompt(sessionId, seed)
      },
      now,
      newId,
      deltaIntervalMs: options.deltaIntervalMs ?? deltaIntervalMs,
      maxRetryWaitMs: options.maxRetryWaitMs ?? 5 * 60_000,
      contexts: new LearnedContexts(100, now),
      ...(options.servedContexts ? { servedContexts: options.servedContexts } : {}),
      ...(options.loadingIntoMemory ? { loadingIntoMemory: options.loadingIntoMemory } : {})
    }
    this.queues = new SessionQueues({
      broker,
      sessions,
      history,
      models,
      reachability,
      journal,
      attachments,
      completions,
      titles,
      turns: {
        take: (run, stop) => takeTurn(turnPorts, run, stop),
        answerWithout: (run, reason) => answerWithout(turnPorts, run, reason)
      },
      now,
      newId,
      startsNoTurn: options.startsNoTurn ?? false
    })
    const queues = this.queues
    this.recoveryHold = new RecoveryHold({ holdMs: options.recoveryHoldMs ?? 0, release: () => queues.releaseHeld() })
    this.changes = new SessionChanges({ broker, sessions, history, queues: this.queues, titles, now, newId })
    this.recovery = new RunRecovery({
      broker,
      sessions,
      journal,
      queues: this.queues,
      completions,
      answerWithout: (run, reason) => answerWithout(turnPorts, run, reason)
    })
  }

  // ── Sessions (H3) ───────────────────────────────────────────────────────────────────────────────────────────

  createSession(options: { id?: string; title?: string } = {}): Session {
    return this.changes.create(options)
  }

  switchBranch(sessionId: string, messageId: string): string {
    return this.changes.switchBranch(sessionId, messageId)
  }

  deleteMessages(sessionId: string, messageId: string): string | null {
    return this.changes.deleteMessages(sessionId, messageId)
  }

  /**
   * Adds an archive's chats that main doesn't have yet, never running them (`chat-import.ts`). Imports run one at a
   * time: each lets main's other work run as it goes, and another import must not start in between.
   */
  importChats(archive: ChatArchive): Promise<ImportResult> {
    const run = this.imports.then(() => importChats({ broker: this.broker, sessions: this.sessions, history: this.history }, archive))
    this.imports = run.catch(() => undefined)
    return run
  }

  /** Puts back what a window's copy has and main's replaced log lost, never running it (`chat-restore.ts`). */
  restoreChats(chats: readonly ArchivedChat[]): ImportResult {
    return restoreChats({ broker: this.broker, sessions: this.sessions, history: this.history }, chats)
  }

  renameSession(sessionId: string, title: string): void {
    this.changes.rename(sessionId, title)
  }

  deleteSession(sessionId: string): void {
    this.changes.remove(sessionId)
  }

  /** The chat's own model, system prompt, temperature and max tokens: the next turn to start uses them. */
  updateSession(sessionId: string, patch: SessionOptionsPatch): Session {
    return this.changes.update(sessionId, patch)
  }

  // ── Accepting a call (rules A1–A7) ──────────────────────────────────────────────────────────────────────────

  /** Accepts a call and answers at once. Throws a ParleyError for a refused call, which changes nothing. */
  enqueue(call: Call): EnqueueResult {
    return this.queues.accept(call, undefined)
  }

  /**
   * The core's blocking call (rule A3): resolves to the RunComplete when the call starts at once, or to `null` at
   * once when it was queued behind a busy session.
   */
  async run(call: Call): Promise<RunComplete | null> {
    let resolveComplete!: (complete: RunComplete) => void
    const completed = new Promise<RunComplete>((resolve) => (resolveComplete = resolve))
    const accepted = this.queues.accept(call, resolveComplete)
    return accepted.state === 'active' ? completed : null
  }

  /** What ParleyApi.run does: accept, then resolve when this run completes, however long it waits in the queue. */
  runToCompletion(call: Call): Promise<RunComplete> {
    return new Promise<RunComplete>((resolve, reject) => {
      try {
        this.queues.accept(call, resolve)
      } catch (error) {
        reject(error)
      }
    })
  }

  /** Resolves with the run's RunComplete; undefined when the run is not active or queued. */
  completion(runId: string): Promise<RunComplete> | undefined {
    return this.queues.completion(runId)
  }

  // ── Recovery after a crash or a quit (rules G1–G4) ──────────────────────────────────────────────────────────

  restoreQueued(entries: JournaledRun[]): void {
    const hold = this.recoveryHold.holds
    if (this.recovery.restoreQueued(entries, hold) > 0 && hold) this.recoveryHold.begin()
  }

  /**
   * A8: a window has sent the removals it kept (and so withdrawn what it meant to): the prompts a restart brought back
   * may start. Only the first one counts; a command-line client never says it.
   */
  windowReady(): void {
    this.recoveryHold.windowReady()
  }

  finishInterrupted(entry: JournaledRun, message: Message | undefined): void {
    this.recovery.finishInterrupted(entry, message)
  }

  publishRecovered(complete: RunComplete): void {
    this.recovery.publishRecovered(complete)
  }

  /**
   * E1 after a restart: the chats with a prompt and no title (main stopped between a first prompt and its title, or
   * while the title was asked for) are owed one, from their first prompt. Each is asked for once its chat is idle:
   * after the prompts the journal brought back (E2). `afterSeq`: the last event recovery published.
   */
  titleUntitledChats(afterSeq: number): void {
    // The newest few only: a crash leaves at most the chats it cut short untitled, and they were the last used. The
    // others (chats imported without a title, say: thousands, maybe) get theirs at their next prompt, as before; asked
    // for all at once, they would keep a local server that serves one request at a time from answering the person.
    const untitled = this.sessions
      .list()
      .filter((session) => session.title === null)
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, untitledTitledAtStart)
    for (const session of untitled) {
      const sessionId = session.id
      this.background.start(async (signal) => {
        const branch = await this.history.read(sessionId, { afterSeq, signal })
        const first = branch.find((message) => message.role === 'user')
        if (!first) return
        this.sessions.markStarted(sessionId)
        this.titles.owedAfterRestart(sessionId, titleSeed(messageText(first), first.attachments))
        if (!this.queues.isSessionBusy(sessionId) && this.queues.queuedPrompts(sessionId) === 0) this.titles.sessionIdle(sessionId)
      })
    }
  }

  // ── Queries (rule A5) ───────────────────────────────────────────────────────────────────────────────────────

  isSessionBusy(sessionId: string): boolean {
    return this.queues.isSessionBusy(sessionId)
  }

  queuedPrompts(sessionId: string): number {
    return this.queues.queuedPrompts(sessionId)
  }

  queuedPromptList(sessionId: string): QueuedPrompt[] {
    return this.queues.queuedPromptList(sessionId)
  }

  activeRunId(sessionId: string): string | undefined {
    return this.queues.activeRunId(sessionId)
  }

  /** Sessions with an active or queued run. */
  busySessions(): string[] {
    return this.queues.busySessions()
  }

  /** The attachment ids that runs not yet done will send (issue 14: never deleted from under them). */
  attachmentsInUse(): Set<string> {
    return this.queues.attachmentsInUse()
  }

  /** C3, C6: the provider may take prompts again; waiting queues start their heads. Answers whether any started. */
  providerBack(): boolean {
    return this.queues.providerBack()
  }

  // ── Cancelling (rules D1–D5) ────────────────────────────────────────────────────────────────────────────────

  cancel(sessionId: string): void {
    this.queues.cancel(sessionId)
  }

  cancelRun(runId: string): boolean {
    return this.queues.cancelRun(runId)
  }

  clearQueue(sessionId: string): number {
    return this.queues.clearQueue(sessionId)
  }

  /** The turn `runId` runs, settled once its RunComplete is out; undefined when the run is not active. */
  turnOf(runId: string): Promise<void> | undefined {
    return this.queues.turnOf(runId)
  }

  /** The turn running in `sessionId`, settled once its RunComplete is out; undefined when none runs. */
  activeTurn(sessionId: string): Promise<void> | undefined {
    return this.queues.activeTurn(sessionId)
  }

  // ── Shutdown (rule D6) ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Aborts active runs and waits up to the grace period for them to settle. Queued prompts stay in the journal for
   * the next start and get no RunComplete. After this, calls are refused with ShuttingDown.
   */
  async shutdown(): Promise<void> {
    this.recoveryHold.dispose()
    const settling = this.queues.close()
    this.background.abortAll()
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      Promise.allSettled([...settling, ...this.background.pending()]),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, this.shutdownGraceMs)))
    ])
    clearTimeout(timer)
  }

  /**
   * Lets the turns running finish and starts no other. Queued prompts, and calls accepted from now on, wait in the
   * journal for the next start (G1). Answers the running turns, each settled once its RunComplete is out; then
   * `shutdown()` interrupts none of them.
   */
  finishRunning(): Promise<void>[] {
    return this.queues.finishRunning()
  }

  /** Resolves when no run is active or queued and no title is being made (tests and benchmarks). */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...this.background.pending(), ...this.queues.settling()]
      if (pending.length === 0) return
      await Promise.allSettled(pending)
    }
  }
}
