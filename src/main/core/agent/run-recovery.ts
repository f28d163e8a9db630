import { messageText, type Message, type RunComplete } from '../../../shared'
import type { EventBroker } from '../events/event-broker'
import type { JournaledRun, RunJournal } from './ports'
import { newRun, type Run } from './run'
import type { RunCompletions } from './run-completions'
import type { SessionDirectory } from './session-directory'
import type { SessionQueues } from './session-queues'
import type { TurnResult } from './answer-writer'
import type { AnsweredRun } from './turn'

export interface RunRecoveryOptions {
  broker: Pick<EventBroker, 'publish'>
  sessions: Pick<SessionDirectory, 'has'>
  journal: RunJournal
  queues: Pick<SessionQueues, 'has' | 'restore'>
  completions: RunCompletions
  /** An assistant message with no token, finished `interrupted` (G2). */
  answerWithout: (run: AnsweredRun, reason: 'interrupted') => TurnResult
}

/** What a restart brings back from the journal (G1–G4): queued prompts, runs a crash cut off, unpublished outcomes. */
export class RunRecovery {
  constructor(private readonly options: RunRecoveryOptions) {}

  /**
   * G1: the prompts the journal kept come back, in their order, and run as usual; their RunComplete comes when they
   * have really run. A prompt whose session is gone (or a runId seen twice) is dropped from the journal. With `hold`,
   * they wait for the recovery hold to end first (`SessionQueues.releaseHeld`). Answers how many came back.
   */
  restoreQueued(entries: JournaledRun[], hold = false): number {
    const back: Run[] = []
    const seen = new Set<string>()
    for (const entry of entries) {
      if (!this.options.sessions.has(entry.sessionId) || this.options.queues.has(entry.runId) || seen.has(entry.runId)) {
        this.options.journal.ended(entry.runId)
        continue
      }
      seen.add(entry.runId)
      const { runId, sessionId, prompt, enqueuedAt, userMessage, retryOf, editOf, attachments } = entry
      back.push(newRun({ runId, sessionId, prompt, enqueuedAt, userMessage, retryOf, editOf, attachments }))
    }
    this.options.queues.restore(back, hold)
    return back.length
  }

  /**
   * G2: a run a crash cut off: its assistant message is finished `interrupted` with the text it had, and its one
   * RunComplete carries `error: "interrupted"`.
   */
  finishInterrupted(entry: JournaledRun, message: Message | undefined): void {
    const complete: RunComplete = { runId: entry.runId, sessionId: entry.sessionId, text: '', cancelled: false, error: 'interrupted' }
    if (message) {
      const final: Message = { ...message, status: 'finished', finishReason: 'interrupted' }
      this.options.broker.publish({ type: 'message.finished', message: final })
      complete.messageId = final.id
      complete.text = messageText(final)
    } else {
      // The empty answer goes under its own prompt (H3), wherever the chat's leaf is now. A Retry or a regenerate
      // answers a prompt already there, so the journal has no user message of the run's own: its prompt is `retryOf`
      // (cut off before its first token, it once left no answer at all, only an interrupted RunComplete).
      const userMessage = entry.userMessage ?? (entry.retryOf === undefined ? undefined : { id: entry.retryOf })
      if (userMessage && this.options.sessions.has(entry.sessionId)) {
        const result = this.options.answerWithout({ runId: entry.runId, sessionId: entry.sessionId, userMessage }, 'interrupted')
        if (result.messageId) complete.messageId = result.messageId
      }
    }
    this.options.completions.publish(complete)
  }

  /**
   * G3, G4: a run whose outcome the journal knows but whose RunComplete never went out (a crash came between its
   * answer finishing, or its end, and the RunComplete): published now, once, with no new message.
   */
  publishRecovered(complete: RunComplete): void {
    this.options.completions.publish(complete)
  }
}
