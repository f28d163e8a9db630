import { z } from 'zod'
import { messageSchema } from './message'
import { sessionOptionsSchema, sessionSchema, titleSourceSchema } from './session'
import { idSchema, queuedPromptSchema, runCompleteSchema } from './call'
import { providerErrorKinds } from './errors'

/**
 * The highest seq a subscriber may say it has seen (2^48). A window that remembers more than a restarted main has
 * published moves main's seq past it, so this bound keeps one bad `since` from pushing every later seq out of the
 * safe-integer range (every event after it unreadable, for good, since the journal keeps seqs across restarts). At a
 * thousand events a second, main reaches it in about 8,900 years.
 */
export const maxEventSeq = 2 ** 48

/** The `since` of a subscribe: the last seq the subscriber has, 0 for none. */
export const sinceSchema = z.number().int().nonnegative().max(maxEventSeq)

/** What a subscribe whose `since` is not a `sinceSchema` seq is told. */
export const sinceRefusal = `subscribe needs \`since\`: a seq from 0 to ${maxEventSeq}.`

const stamp = {
  /** Strictly increasing across every event main publishes (rule F1). */
  seq: z.number().int().positive(),
  at: z.number()
}

export const sessionCreatedSchema = z.object({ type: z.literal('session.created'), session: sessionSchema, ...stamp })
export const sessionUpdatedSchema = z.object({
  type: z.literal('session.updated'),
  sessionId: idSchema,
  title: z.string().nullable().optional(),
  updatedAt: z.number(),
  /** The chat's options after an `updateSession` (they replace the old ones whole); absent: unchanged. */
  options: sessionOptionsSchema.optional(),
  ...stamp
})
export const sessionTitledSchema = z.object({
  type: z.literal('session.titled'),
  sessionId: idSchema,
  title: z.string(),
  /** Absent on events written before it existed. */
  source: titleSourceSchema.optional(),
  ...stamp
})
export const sessionDeletedSchema = z.object({ type: z.literal('session.deleted'), sessionId: idSchema, ...stamp })
/**
 * The session's current branch now ends at `leafId` (rule H3: switching branches). A new message also moves the leaf
 * to itself, with no event of its own: `message.created` says so.
 */
export const sessionBranchSchema = z.object({
  type: z.literal('session.branch'),
  sessionId: idSchema,
  leafId: z.string().min(1),
  ...stamp
})
/**
 * A message and the branch below it were deleted (`deleteMessages`); the session's current branch now ends at
 * `leafId` (null: the chat has no messages left).
 */
export const messagesDeletedSchema = z.object({
  type: z.literal('messages.deleted'),
  sessionId: idSchema,
  messageIds: z.array(z.string().min(1)),
  leafId: z.string().min(1).nullable(),
  ...stamp
})
export const sessionBusySchema = z.object({
  type: z.literal('session.busy'),
  sessionId: idSchema,
  busy: z.boolean(),
  ...stamp
})
export const queueChangedSchema = z.object({
  type: z.literal('queue.changed'),
  sessionId: idSchema,
  queue: z.array(queuedPromptSchema),
  ...stamp
})
export const messageCreatedSchema = z.object({ type: z.literal('message.created'), message: messageSchema, ...stamp })
export const messageDeltaSchema = z.object({
  type: z.literal('message.delta'),
  sessionId: idSchema,
  messageId: z.string(),
  /** Appended to the message's text part. */
  text: z.string().optional(),
  /** Appended to the message's reasoning part. */
  reasoning: z.string().optional(),
  /**
   * How long the message's text was before `text` (UTF-16 units, the text of every delta before it), and the same for
   * `reasoning`. A window that takes a message up from a row another window checkpointed (two tabs on one IndexedDB)
   * skips what the row already holds, even when the delta is a merge of several (absent on events from before it).
   */
  textOffset: z.number().int().nonnegative().optional(),
  reasoningOffset: z.number().int().nonnegative().optional(),
  ...stamp
})
export const messageFinishedSchema = z.object({ type: z.literal('message.finished'), message: messageSchema, ...stamp })
export const runStartedSchema = z.object({
  type: z.literal('run.started'),
  runId: idSchema,
  sessionId: idSchema,
  ...stamp
})
/** A 429 (or Anthropic's 529) came before the first token: the run is tried again in `retryInSeconds` (rule C4). */
export const runRetryingSchema = z.object({
  type: z.literal('run.retrying'),
  runId: idSchema,
  sessionId: idSchema,
  attempt: z.number().int().positive(),
  retryInSeconds: z.number().nonnegative(),
  /** Why: 429 (rate limited) or 529 (the server is overloaded). */
  status: z.number().int().optional(),
  /** The provider's refusal, as a sentence. */
  detail: z.string(),
  ...stamp
})
/**
 * The active run's request has had no first byte for a while, and its server (Ollama, LM Studio) says it is loading the
 * model into memory for it: `detail` says so ("Ollama is loading llama3.2 into memory …"). It holds until the run's
 * answer starts, or the run ends or starts again.
 */
export const runLoadingSchema = z.object({
  type: z.literal('run.loading'),
  runId: idSchema,
  sessionId: idSchema,
  detail: z.string(),
  ...stamp
})
export const runCompleteEventSchema = z.object({
  type: z.literal('run.complete'),
  complete: runCompleteSchema,
  ...stamp
})
/** Main asks the window to show a chat: a notification was clicked, or the tray made a new chat. */
export const sessionOpenSchema = z.object({ type: z.literal('session.open'), sessionId: idSchema, ...stamp })
/**
 * Why a provider is not answering prompts: it can't be reached (rule C3), or it answers that it is still loading the
 * model (a 503 before the first token, rule C6).
 */
export const providerTroubleSchema = z.enum(['unreachable', 'loading'])
export type ProviderTrouble = z.infer<typeof providerTroubleSchema>

export const providerStatusSchema = z.object({
  type: z.literal('provider.status'),
  providerId: z.string(),
  reachable: z.boolean(),
  /** Set while `reachable` is false; absent on events written before it existed (read as `unreachable`). */
  state: providerTroubleSchema.optional(),
  kind: z.enum(providerErrorKinds).optional(),
  /** Seconds until the next attempt, when a retry is scheduled (rule C4). */
  retryInSeconds: z.number().nonnegative().optional(),
  detail: z.string().optional(),
  ...stamp
})

/**
 * The settings were saved (`updateSettings`, from any window or tab): each window reads them again with `getSettings`.
 * The event carries no settings itself, so nothing of them (or of the keys) is kept in the event ring.
 */
export const settingsChangedSchema = z.object({ type: z.literal('settings.changed'), ...stamp })

export const eventSchema = z.discriminatedUnion('type', [
  sessionCreatedSchema,
  sessionUpdatedSchema,
  sessionTitledSchema,
  sessionDeletedSchema,
  sessionBranchSchema,
  messagesDeletedSchema,
  sessionBusySchema,
  queueChangedSchema,
  messageCreatedSchema,
  messageDeltaSchema,
  messageFinishedSchema,
  runStartedSchema,
  runRetryingSchema,
  runLoadingSchema,
  runCompleteEventSchema,
  sessionOpenSchema,
  providerStatusSchema,
  settingsChangedSchema
])
export type ParleyEvent = z.infer<typeof eventSchema>
export type EventType = ParleyEvent['type']
export type EventOf<T extends EventType> = Extract<ParleyEvent, { type: T }>

/** What a publisher hands the broker: the event without its stamp. */
type Unstamped<E> = E extends unknown ? Omit<E, 'seq' | 'at'> : never
export type EventBody = Unstamped<ParleyEvent>

/** Events that change history: they stay in main's outbox until the renderer acks them (rule F3). */
export const historyEventTypes: ReadonlySet<EventType> = new Set<EventType>([
  'session.created',
  'session.updated',
  'session.titled',
  'session.deleted',
  'session.branch',
  'messages.deleted',
  'message.created',
  'message.delta',
  'message.finished'
])
