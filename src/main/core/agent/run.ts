import type { AttachmentRef, QueuedPrompt, RunComplete } from '../../../shared'
import type { JournaledRun } from './ports'

/** Why the queue stopped an active run: a cancel (D1, D2) or a quit (D6). */
export type StopReason = 'cancel' | 'shutdown'

/** An active run (A4): the queue stops it through its controller, and `settled` resolves once its turn has ended. */
export interface ActivePhase {
  readonly state: 'active'
  readonly controller: AbortController
  /** Set by the first stop; the turn reads it to finish `canceled` (D5) or `interrupted` (D6). */
  stopReason: StopReason | undefined
  readonly settled: Promise<void>
}

/**
 * Where a run is. `queued` and `waiting` runs are in their session's queue (`waiting`: until the provider can take
 * it, C3, C6); the `active` one is in its session's active slot, with its controller; a `done` run's RunComplete is
 * out (B5), and it is nowhere.
 */
export type RunPhase = { readonly state: 'queued' } | { readonly state: 'waiting' } | ActivePhase | { readonly state: 'done' }

/** One accepted call, from accept to its end. It lives in exactly one place: the queue or the active slot. */
export interface Run {
  readonly runId: string
  readonly sessionId: string
  readonly prompt: string
  /** Refs only: inline bytes are stored, and turned into refs, before a call reaches the agent. */
  readonly attachments: AttachmentRef[] | undefined
  readonly enqueuedAt: number
  phase: RunPhase
  /** Who hears this run's RunComplete besides the broker: `run()` callers and `completion()`. */
  readonly waiters: ((complete: RunComplete) => void)[]
  /** Set once the user message is in history; a run that waited (C3) reuses it when it is tried again. */
  userMessage: { id: string; seq: number } | undefined
  /** Retry (H3): the user message this run answers again; it writes none of its own. */
  readonly retryOf: string | undefined
  /** Edit (H3): the user message this run's prompt goes beside, under the same parent. */
  readonly editOf: string | undefined
  /** When the server first answered this run that it is loading the model (C6): its time limit counts from here. */
  loadingSince: number | undefined
}

export interface NewRun {
  runId: string
  sessionId: string
  prompt: string
  enqueuedAt: number
  attachments?: AttachmentRef[] | undefined
  userMessage?: { id: string; seq: number } | undefined
  retryOf?: string | undefined
  editOf?: string | undefined
  onComplete?: ((complete: RunComplete) => void) | undefined
}

/** A run as it is accepted (or brought back from the journal, G1): queued, with no turn yet. */
export function newRun(run: NewRun): Run {
  return {
    runId: run.runId,
    sessionId: run.sessionId,
    prompt: run.prompt,
    attachments: run.attachments,
    enqueuedAt: run.enqueuedAt,
    phase: { state: 'queued' },
    waiters: run.onComplete ? [run.onComplete] : [],
    userMessage: run.userMessage,
    retryOf: run.retryOf,
    editOf: run.editOf,
    loadingSince: undefined
  }
}

/** What the journal keeps of an accepted run, to run it after a restart (G1). */
export function journaled(run: Run): JournaledRun {
  return {
    runId: run.runId,
    sessionId: run.sessionId,
    prompt: run.prompt,
    enqueuedAt: run.enqueuedAt,
    ...(run.userMessage ? { userMessage: run.userMessage } : {}),
    ...(run.retryOf ? { retryOf: run.retryOf } : {}),
    ...(run.editOf ? { editOf: run.editOf } : {}),
    ...(run.attachments?.length ? { attachments: run.attachments } : {})
  }
}

/** How a queued run is shown in `queue.changed` and `queuedPromptList` (A3, A5). */
export function toQueuedPrompt(run: Run): QueuedPrompt {
  const queued: QueuedPrompt = {
    runId: run.runId,
    prompt: run.prompt,
    enqueuedAt: run.enqueuedAt,
    state: run.phase.state === 'waiting' ? 'waiting' : 'queued'
  }
  if (run.userMessage) queued.userMessageId = run.userMessage.id
  if (run.attachments?.length) queued.attachments = run.attachments
  return queued
}
