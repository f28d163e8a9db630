import { z } from 'zod'
import { idSchema } from './call'

/**
 * Where a session's title came from (rules E1, E3): the model, E1's fallback (the prompt's first 50 characters, to be
 * replaced by a model title after the next answer that succeeds), or the user.
 */
export const titleSources = ['model', 'fallback', 'user'] as const
export const titleSourceSchema = z.enum(titleSources)
export type TitleSource = z.infer<typeof titleSourceSchema>

/** A model of a configured provider, as a chat picks it. */
export const chatModelSchema = z.object({ providerId: idSchema, model: z.string().trim().min(1).max(200) }).strict()
export type ChatModel = z.infer<typeof chatModelSchema>

/** OpenAI's range; Anthropic takes 0–1, so Parley sends it at most 1 there. */
export const temperatureSchema = z.number().min(0).max(2)
/** The longest answer a chat may ask for: more than any model writes today, small enough to be a mistake beyond. */
export const maxTokensLimit = 1_000_000
export const maxTokensSchema = z.number().int().min(1).max(maxTokensLimit)
export const chatSystemPromptSchema = z.string().max(20_000)

/**
 * What a chat sets for itself; each one absent means "the settings' default". A system prompt, even empty, replaces
 * the settings' one for this chat. The next turn after a change uses it (a turn reads them as it starts). Not strict:
 * a field a newer Parley wrote is dropped, never a reason to lose the session list.
 */
export const sessionOptionsSchema = z
  .object({
    model: chatModelSchema.optional(),
    systemPrompt: chatSystemPromptSchema.optional(),
    temperature: temperatureSchema.optional(),
    maxTokens: maxTokensSchema.optional()
  })
export type SessionOptions = z.infer<typeof sessionOptionsSchema>

export const sessionSchema = z.object({
  id: z.string().min(1),
  /** null until a title is made (rule E1) or the user names it. */
  title: z.string().nullable(),
  /**
   * Absent while there is no title, and for sessions saved before it existed: such a title is kept as it is, never
   * replaced (E3 only replaces a title known to be a fallback).
   */
  titleSource: titleSourceSchema.optional(),
  createdAt: z.number(),
  /** Last activity: sorts the sidebar. */
  updatedAt: z.number(),
  /** The chat's own model and settings (`updateSession`); absent on sessions that never had any. */
  options: sessionOptionsSchema.optional()
})
export type Session = z.infer<typeof sessionSchema>

/** A change to a chat's options: a value sets one, null puts it back to the default, absent leaves it as it is. */
export const sessionOptionsPatchSchema = z
  .object({
    model: chatModelSchema.nullable().optional(),
    systemPrompt: chatSystemPromptSchema.nullable().optional(),
    temperature: temperatureSchema.nullable().optional(),
    maxTokens: maxTokensSchema.nullable().optional()
  })
  .strict()
export type SessionOptionsPatch = z.infer<typeof sessionOptionsPatchSchema>

/** The options after a patch: the one place its three meanings (set, clear, keep) are applied. */
export function patchedOptions(current: SessionOptions | undefined, patch: SessionOptionsPatch): SessionOptions {
  const next: Record<string, unknown> = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key]
    else if (value !== undefined) next[key] = value
  }
  return sessionOptionsSchema.parse(next)
}
