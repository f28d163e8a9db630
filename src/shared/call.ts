import { z } from 'zod'
import { attachmentLimits, attachmentRefSchema, attachmentUploadSchema } from './attachment'

/** Bridge-wide caps: a payload over them is refused with BadRequest before it reaches the agent. */
export const limits = {
  idLength: 128,
  promptChars: 200_000,
  attachments: attachmentLimits.perPrompt
} as const

export const idSchema = z.string().min(1).max(limits.idLength)

/**
 * An attachment on a call: a ref to bytes main already holds (`putAttachment`), or the bytes themselves, which main
 * stores at accept and turns into a ref before anything is journaled.
 */
export const callAttachmentSchema = z.union([attachmentRefSchema, attachmentUploadSchema])
export type CallAttachment = z.infer<typeof callAttachmentSchema>

export const callSchema = z.object({
  sessionId: idSchema,
  runId: idSchema.optional(),
  prompt: z.string().max(limits.promptChars),
  attachments: z.array(callAttachmentSchema).max(limits.attachments).optional(),
  /**
   * Retry (rule H3): the id of the user message to answer again. No new user message is written: the new answer
   * goes beside the old one, under the same prompt.
   */
  retryOf: idSchema.optional(),
  /**
   * Edit (rule H3): the id of the user message this prompt replaces. The new user message goes beside it, under the
   * same parent, and the session's current branch moves to the new one; the old message and its answers stay.
   */
  editOf: idSchema.optional()
}).refine((call) => call.retryOf === undefined || call.editOf === undefined, {
  message: 'A call retries a prompt or edits one, not both.',
  path: ['editOf']
})
export type Call = z.infer<typeof callSchema>

export const runStates = ['active', 'queued', 'waiting'] as const
export const runStateSchema = z.enum(runStates)
export type RunState = z.infer<typeof runStateSchema>

export const enqueueResultSchema = z.object({
  runId: idSchema,
  state: runStateSchema,
  /** 0 for the active run; 1 for the head of the queue, and so on. */
  position: z.number().int().nonnegative()
})
export type EnqueueResult = z.infer<typeof enqueueResultSchema>

/** The one terminal event of a run (rule B5). */
export const runCompleteSchema = z.object({
  runId: idSchema,
  sessionId: idSchema,
  messageId: z.string().optional(),
  text: z.string(),
  error: z.string().optional(),
  cancelled: z.boolean()
})
export type RunComplete = z.infer<typeof runCompleteSchema>

export const queuedPromptSchema = z.object({
  runId: idSchema,
  prompt: z.string(),
  enqueuedAt: z.number(),
  /** `waiting` when the provider can't be reached (rule C3). */
  state: z.enum(['queued', 'waiting']),
  /** Set when the prompt already ran once and its user message is in history: it waits to be tried again (C3). */
  userMessageId: z.string().optional(),
  /** The prompt's attachments (refs only), shown on its queued chip and sent when it runs. */
  attachments: z.array(attachmentRefSchema).optional()
})
export type QueuedPrompt = z.infer<typeof queuedPromptSchema>
