import { z } from 'zod'

/**
 * Where a session's title came from (rules E1, E3): the model, E1's fallback (the prompt's first 50 characters, to be
 * replaced by a model title after the next answer that succeeds), or the user.
 */
export const titleSources = ['model', 'fallback', 'user'] as const
export const titleSourceSchema = z.enum(titleSources)
export type TitleSource = z.infer<typeof titleSourceSchema>

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
  updatedAt: z.number()
})
export type Session = z.infer<typeof sessionSchema>
