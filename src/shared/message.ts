import { z } from 'zod'
import { attachmentRefSchema } from './attachment'

export const finishReasons = [
  'end_turn',
  'max_tokens',
  'tool_use',
  'content_filter',
  'canceled',
  'error',
  'interrupted',
  'unknown'
] as const
export const finishReasonSchema = z.enum(finishReasons)
export type FinishReason = z.infer<typeof finishReasonSchema>

export const roleSchema = z.enum(['user', 'assistant'])
export type Role = z.infer<typeof roleSchema>

export const textPartSchema = z.object({ type: z.literal('text'), text: z.string() })
export const reasoningPartSchema = z.object({ type: z.literal('reasoning'), text: z.string() })
export const partSchema = z.discriminatedUnion('type', [textPartSchema, reasoningPartSchema])
export type Part = z.infer<typeof partSchema>

/** `streaming` while the model writes into it; `finished` once its finish reason is known. */
export const messageStatusSchema = z.enum(['streaming', 'finished'])
export type MessageStatus = z.infer<typeof messageStatusSchema>

export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative()
})
export type Usage = z.infer<typeof usageSchema>

export const timingsSchema = z.object({
  /** Milliseconds from sending the request to the first token. */
  firstTokenMs: z.number().nonnegative().optional(),
  /** Milliseconds from sending the request to the end of the answer. */
  durationMs: z.number().nonnegative().optional(),
  /**
   * Output tokens a second from the first token to the end, measured by main; absent when the provider reported no
   * usage (nothing is estimated) or the answer came in one piece.
   */
  tokensPerSecond: z.number().nonnegative().optional()
})
export type Timings = z.infer<typeof timingsSchema>

export const messageSchema = z.object({
  id: z.string().min(1),
  sessionId: z.string().min(1),
  runId: z.string().min(1),
  role: roleSchema,
  parts: z.array(partSchema),
  status: messageStatusSchema,
  finishReason: finishReasonSchema.optional(),
  /** A human-readable sentence when the answer failed. */
  error: z.string().optional(),
  providerId: z.string().optional(),
  model: z.string().optional(),
  usage: usageSchema.optional(),
  timings: timingsSchema.optional(),
  createdAt: z.number(),
  /**
   * The message this one follows on its branch (rule H3): an answer's user message, a prompt's previous answer. null:
   * the first message of a branch from the start (an edited first prompt). Absent (messages from before the tree):
   * the session's current leaf when it was created. A retried prompt's new answer names the same user message as the
   * old answer, and an edited prompt the same parent as the old prompt: they are siblings.
   */
  parentId: z.string().min(1).nullable().optional(),
  /** A user message's attachments (refs; the bytes stay in main's data folder). Absent: none. */
  attachments: z.array(attachmentRefSchema).optional()
})
export type Message = z.infer<typeof messageSchema>

/** The concatenated text parts of a message (reasoning left out). */
export function messageText(message: Pick<Message, 'parts'>): string {
  let text = ''
  for (const part of message.parts) if (part.type === 'text') text += part.text
  return text
}
