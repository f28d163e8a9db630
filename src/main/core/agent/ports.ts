import type { AttachmentRef, Removal } from '../../../shared'
import type { LoadedAttachment } from '../attachments/attachment-store'
import type { ChatModel, Message, ModelRef, RunComplete } from '../../../shared'
import type { Provider } from '../providers/provider'

export interface HistoryReadOptions {
  /** The read waits until every event through this seq is in history (rule B2). */
  afterSeq: number
  signal?: AbortSignal
  /** Read the branch that ends at this message (a turn's user message) rather than at the session's newest message. */
  from?: string
  /**
   * Asked after each message read, with what was read so far, newest first: true stops the read, because older
   * messages would not change the request (rule H4: the cost follows the context, not the length of the chat).
   */
  enough?: (newestFirst: readonly Message[]) => boolean
}

/** Where a message sits in a session's tree. */
export interface MessagePlace {
  sessionId: string
  role: Message['role']
  /** null for the first message of a branch. */
  parentId: string | null
  /** A user message's attachments (empty: none): an edit without attachments of its own carries them over (H3). */
  attachments: readonly AttachmentRef[]
}

/**
 * Where the agent reads a session's current branch, oldest first (rules B2, H1): main's session log. `read` resolves
 * only after every event through `afterSeq` has been written. The tree queries answer at once, from everything
 * published so far (the log applies events as they are published).
 */
export interface HistoryPort {
  read(sessionId: string, options: HistoryReadOptions): Promise<Message[]>
  /** The session's current leaf: the message its next prompt follows (null in an empty chat). */
  leaf(sessionId: string): string | null
  /** Where a message is, or undefined when history has no such message. */
  place(messageId: string): MessagePlace | undefined
  /** Whether `messageId` is on the session's current branch: its leaf, or one of the leaf's ancestors (rule H3). */
  onCurrentBranch(sessionId: string, messageId: string): boolean
  /** The newest message on the branch through `messageId`: from it, the newest child at each fork (rule H3). */
  newestLeafUnder(sessionId: string, messageId: string): string
  /** What deleting `messageId` takes away (it and the branch below it) and the leaf after it (`removalOf`). */
  removal(sessionId: string, messageId: string): Removal
}

/**
 * Main's attachment files (issue 14): a call's refs are checked at accept, synchronously (rule A2), and a turn loads
 * the contents its request sends.
 */
export interface AttachmentsPort {
  has(id: string): boolean
  /** A call using these files was accepted: a window's composer no longer holds them alone (AttachmentStore.hold). */
  claim(refs: readonly AttachmentRef[]): void
  /** Throws `AttachmentMissing` when the file is gone. */
  load(ref: AttachmentRef): Promise<LoadedAttachment>
}

/** Without a store no ref exists: a call with attachments is refused with AttachmentMissing. */
export const noAttachments: AttachmentsPort = {
  has: () => false,
  claim: () => undefined,
  load: (ref) => Promise.reject(new Error(`no attachment store holds ${ref.name}`))
}

export interface ResolvedModel {
  provider: Provider
  ref: ModelRef
}

/** The models the agent may use, read at the start of each turn so that settings changes apply to the next one. */
export interface ModelPort {
  /**
   * The model that answers: the chat's own choice while its provider is configured, else the settings' large model
   * (a chat whose provider was removed falls back to the default).
   */
  large(chat?: ChatModel): ResolvedModel
  /** Titles; undefined means "use the large model" (rule E1). */
  small(): ResolvedModel | undefined
}

export interface AgentSettings {
  systemPrompt: string
  maxRetries: number
  /** How long a run waits for a server that is loading its model, from its first "loading" answer (rule C6). */
  loadingTimeoutMs: number
}

export interface JournaledRun {
  runId: string
  sessionId: string
  prompt: string
  enqueuedAt: number
  /** Set once the run's user message is in history (a run that waited keeps it when it is tried again). */
  userMessage?: { id: string; seq: number }
  /** Retry (H3): the user message this run answers again, instead of writing its own. */
  retryOf?: string
  /** Edit (H3): the user message this run's prompt goes beside. */
  editOf?: string
  /** The prompt's attachments, as refs (issue 14): a queued prompt runs with them after a restart. */
  attachments?: AttachmentRef[]
}

/**
 * Main's durable queue (rules G1, G2). The agent tells it when a run is accepted, starts and ends; the journal
 * decides how to make that durable. The default does nothing, for tests and benchmarks.
 */
export interface RunJournal {
  accepted(run: JournaledRun): void
  started(runId: string): void
  /** The run is over; its outcome is made durable with its end, before its RunComplete goes out (G4). */
  ended(runId: string, complete?: RunComplete): void
  /**
   * Resolves once everything recorded so far is in the journal's file, so a killed process keeps it (no fsync waited
   * for); undefined when it already is. A turn waits for it before it asks the model (H1 across a crash).
   */
  written(): Promise<void> | undefined
}

export const noJournal: RunJournal = {
  accepted() {},
  started() {},
  ended() {},
  written: () => undefined
}

/**
 * Whether a provider can take prompts (rules C3, C6). The agent reports what a turn found before the first token:
 * the provider could not be reached, or it answered that it is loading the model. The monitor behind this port looks
 * again on its schedule and calls `agent.providerBack()`; the turn that then runs reports `answered` (it is back),
 * or the same trouble again.
 */
export interface ReachabilityPort {
  isReachable(providerId: string): boolean
  unreachable(providerId: string, detail: string): void
  loading(providerId: string, detail: string): void
  /** A turn got an answer: its first token, or an error in the server's own words. */
  answered(providerId: string): void
  /**
   * A turn let through to try the provider again ended without finding out: it was stopped (a cancel, a quit), or it
   * reached C6's limit and gave up.
   */
  turnStopped(providerId: string): void
}

/** Without a monitor every provider counts as reachable, and a failed connection or a 503 fails the run. */
export const alwaysReachable: ReachabilityPort = {
  isReachable: () => true,
  unreachable() {},
  loading() {},
  answered() {},
  turnStopped() {}
}
