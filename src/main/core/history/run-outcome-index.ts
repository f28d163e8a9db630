import type { Database, RootDatabase } from 'lmdb'
import { z } from 'zod'
import { idSchema, type RunComplete } from '../../../shared'

/**
 * A run's outcome as the index keeps it: its RunComplete without the text (the text is the run's assistant message's,
 * which the session log holds; a deleted chat's is gone with it), and the seq it went out with, its place in the
 * order of ends.
 */
const indexedOutcomeSchema = z.object({
  sessionId: idSchema,
  messageId: z.string().optional(),
  error: z.string().optional(),
  cancelled: z.boolean(),
  seq: z.number().int().nonnegative()
})
export type IndexedOutcome = z.infer<typeof indexedOutcomeSchema>

/** How many ended runs main remembers for `awaitRun` and for refusing a reused runId (rules A7, G4). */
export const keptOutcomes = 10_000

/**
 * The last `kept` runs' outcomes, in the session log's store (lmdb): `run-outcomes` keyed by runId, and `run-ends`
 * keyed by the seq each RunComplete went out with, so the oldest is the first key and the index stays bounded
 * however many runs a long-lived main sees. Each outcome is one write transaction: it is added, and the oldest beyond
 * `kept` removed, together.
 */
export class RunOutcomeIndex {
  private byRun: Database<unknown, string>
  private bySeq: Database<unknown, number>
  /** Outcomes whose write may not be committed yet (lmdb reads see only committed writes). */
  private readonly unsettled = new Map<string, IndexedOutcome>()
  private count: number

  constructor(
    private root: RootDatabase<unknown, string>,
    private readonly kept = keptOutcomes
  ) {
    this.byRun = root.openDB<unknown, string>({ name: 'run-outcomes' })
    this.bySeq = root.openDB<unknown, number>({ name: 'run-ends' })
    this.count = this.byRun.getCount()
  }

  /** Moves to a compacted copy of the same store (the session log swaps it in between two transactions). */
  reopen(root: RootDatabase<unknown, string>): void {
    this.root = root
    this.byRun = root.openDB<unknown, string>({ name: 'run-outcomes' })
    this.bySeq = root.openDB<unknown, number>({ name: 'run-ends' })
  }

  /** Issues the write of one run's outcome, in a transaction of its own; the promise settles when it is committed. */
  take(complete: RunComplete, seq: number): Promise<unknown> {
    const staged = this.stage(complete, seq)
    return this.root.transaction(staged.write).finally(staged.settled)
  }

  /**
   * One run's outcome, visible to `get` at once: `write` must run inside a write transaction (the session log's batch),
   * `settled` once that is committed.
   */
  stage(complete: RunComplete, seq: number): { write: () => void; settled: () => void } {
    const entry: IndexedOutcome = { sessionId: complete.sessionId, cancelled: complete.cancelled, seq }
    if (complete.messageId !== undefined) entry.messageId = complete.messageId
    if (complete.error !== undefined) entry.error = complete.error
    const { runId } = complete
    this.unsettled.set(runId, entry)
    const write = (): void => {
      // Inside the transaction reads see its own writes, and transactions run one after another: `count` is exact.
      const before = this.parse(this.byRun.get(runId))
      if (before) void this.bySeq.remove(before.seq)
      else this.count += 1
      void this.byRun.put(runId, entry)
      void this.bySeq.put(seq, runId)
      const excess = this.count - this.kept
      if (excess <= 0) return
      for (const { key, value } of [...this.bySeq.getRange({ limit: excess })]) {
        void this.bySeq.remove(key)
        if (typeof value === 'string') void this.byRun.remove(value)
        this.count -= 1
      }
    }
    const settled = (): void => {
      if (this.unsettled.get(runId) === entry) this.unsettled.delete(runId)
    }
    return { write, settled }
  }

  get(runId: string): IndexedOutcome | undefined {
    return this.unsettled.get(runId) ?? this.parse(this.byRun.get(runId))
  }

  /** How many outcomes are kept (committed), for tests. */
  get size(): number {
    return this.byRun.getCount()
  }

  /** Values read back from the store cross a boundary: a damaged one is skipped, never trusted. */
  private parse(value: unknown): IndexedOutcome | undefined {
    const parsed = indexedOutcomeSchema.safeParse(value)
    return parsed.success ? parsed.data : undefined
  }
}
