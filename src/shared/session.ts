import { z } from 'zod'

export const sessionSchema = z.object({
  id: z.string().min(1),
  /** null until a title is made (rule E1) or the user names it. */
  title: z.string().nullable(),
  createdAt: z.number(),
  /** Last activity: sorts the sidebar. */
  updatedAt: z.number()
})
export type Session = z.infer<typeof sessionSchema>
