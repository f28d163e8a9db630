import { z } from 'zod'

/** Every error that crosses the bridge has one of these codes (crush-style named errors, not matched strings). */
export const errorCodes = [
  'EmptyPrompt',
  'SessionMissing',
  'DuplicateRunId',
  /** A call names a message that isn't in that chat (a retry, an edit, a branch switch). */
  'MessageMissing',
  /** The chat is answering: what was asked waits for the answer to end (switching branches). */
  'SessionBusy',
  /** `awaitRun` names a run main never accepted, or one that ended longer ago than main remembers (rule G4). */
  'RunUnknown',
  /** A history snapshot's cursor names one main has let go (unread for too long, or main restarted): start again. */
  'SnapshotExpired',
  /** An `ack` names a seq main has not published yet: a window can only acknowledge what it was sent. */
  'SeqAhead',
  /** An import file is not a valid archive, or it clashes with what Parley has: nothing of it was imported. */
  'ArchiveInvalid',
  /** An attachment is over its limit (20 MB an image, 50 MB a file, 16 a prompt): the message names the limit. */
  'AttachmentTooLarge',
  /** A file of a type Parley can't send to a model, or a PDF locked with a password. */
  'AttachmentUnsupported',
  /** An image or a PDF that can't be read (damaged, or not what its type says). */
  'AttachmentDamaged',
  /** A ref names bytes main doesn't hold (never uploaded, or deleted with the last chat that used them). */
  'AttachmentMissing',
  'BadRequest',
  'UnknownMethod',
  'Unauthorized',
  'ShuttingDown',
  /**
   * The window is still copying its chats back from main (shown while the rest comes): what would change them (a
   * prompt, a rename, a deletion) waits until that is done. Said by the window, never by main.
   */
  'Restoring',
  /** The bridge lost its connection to main while the call was in flight; it may or may not have run. */
  'Disconnected',
  'Internal'
] as const
export type ErrorCode = (typeof errorCodes)[number]

export const errorPayloadSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string()
})
export type ErrorPayload = z.infer<typeof errorPayloadSchema>

/** A refusal with a name. Thrown by the core, sent over the bridge as `{ code, message }`. */
export class ParleyError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'ParleyError'
    this.code = code
  }
  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message }
  }
}

export function isParleyError(value: unknown): value is ParleyError {
  return value instanceof ParleyError
}

/** Turns anything thrown into the payload the bridge sends; unknown failures become `Internal`. */
export function toErrorPayload(value: unknown): ErrorPayload {
  if (value instanceof ParleyError) return value.toPayload()
  const message = value instanceof Error ? value.message : String(value)
  return { code: 'Internal', message: message || 'Something went wrong inside Parley.' }
}

/** The kinds a provider failure is classified into (providers/errors.ts does the classifying). */
export const providerErrorKinds = [
  'unreachable',
  'auth',
  'rate_limited',
  'server',
  'bad_request',
  'malformed_stream'
] as const
export type ProviderErrorKind = (typeof providerErrorKinds)[number]

/**
 * A zod error as a short sentence: only the first few problems are formatted. An invalid payload can hold millions
 * of them, and formatting them all would stall main for seconds.
 */
export function issuesText(error: z.ZodError, maxIssues = 5): string {
  const shown = z.prettifyError(new z.ZodError(error.issues.slice(0, maxIssues)))
  const more = error.issues.length - maxIssues
  return more > 0 ? `${shown}\n(and ${more} more problems)` : shown
}
