import type { RunComplete } from '../../../shared'
import type { EventBroker } from '../events/event-broker'
import type { RunJournal } from './ports'
import { RecentIds } from './recent-ids'

/**
 * The one RunComplete of each run (B5, G4): made durable with the run's end, then published, and its runId
 * remembered so a call that reuses it is refused (A7).
 */
export class RunCompletions {
  private readonly ended: RecentIds

  constructor(
    private readonly broker: Pick<EventBroker, 'publish'>,
    private readonly journal: RunJournal,
    /** How many ended runIds are remembered (A7). */
    remembered: number
  ) {
    this.ended = new RecentIds(remembered)
  }

  /** Whether this runId has had its RunComplete (recently enough to be remembered). */
  hasEnded(runId: string): boolean {
    return this.ended.has(runId)
  }

  /** G4: the outcome is written with the run's end before the RunComplete goes out. */
  publish(complete: RunComplete): void {
    this.ended.add(complete.runId)
    this.journal.ended(complete.runId, complete)
    this.broker.publish({ type: 'run.complete', complete })
  }
}
