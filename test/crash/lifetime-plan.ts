import { z } from 'zod'

/** One step of what a lifetime of `working-main.ts` does, in order. */
export const lifetimeStepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('create'), title: z.string() }),
  z.object({ kind: z.literal('enqueue'), title: z.string(), runId: z.string(), prompt: z.string() }),
  z.object({ kind: z.literal('cancel'), runId: z.string() }),
  z.object({ kind: z.literal('wait'), ms: z.number().int().nonnegative() })
])
export type LifetimeStep = z.infer<typeof lifetimeStepSchema>

/** A lifetime: the last seq its client heard before (it resumes after it), the chats made so far, its steps. */
export const lifetimePlanSchema = z.object({
  since: z.number().int().nonnegative(),
  sessions: z.record(z.string(), z.string()),
  steps: z.array(lifetimeStepSchema),
  /** Rewrite the journal once it passes this many bytes (small: compactions happen, and kills land in them). */
  compactBytes: z.number().int().positive().optional(),
  /** Serve browser mode's bridge on this port with this token (the window's crash test). */
  host: z.object({ port: z.number().int().positive(), token: z.string() }).optional()
})
export type LifetimePlan = z.infer<typeof lifetimePlanSchema>

/** What a lifetime's client printed (`working-main.ts`). */
export const lifetimeLineSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready') }),
  z.object({ t: z.literal('session'), title: z.string(), id: z.string() }),
  z.object({ t: z.literal('accepted'), runId: z.string() }),
  z.object({ t: z.literal('refused'), runId: z.string(), error: z.string() }),
  z.object({
    t: z.literal('event'),
    seq: z.number(),
    type: z.string(),
    complete: z.object({ runId: z.string(), sessionId: z.string(), text: z.string(), error: z.string().optional(), cancelled: z.boolean() }).optional()
  })
])
export type LifetimeLine = z.infer<typeof lifetimeLineSchema>
