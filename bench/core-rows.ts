import type { CoreReport } from './core'
import { measured, type BenchRow } from './report'

export const coreGoals = {
  turnsPerSecond: 5000,
  handoffMs: 0.2,
  bytesPerIdleSession: 2048,
  /** Issue 9: the drain with the session log and journal on disk. */
  journaledTurnsPerSecond: 3000,
  /** Issue 9: enqueue → request in a chat of 10,000 messages, at most this times the chat of 10, and under 5 ms. */
  turnStartRatio: 1.5,
  turnStartMs: 5,
  /** Issue 9: main's heap, idle, after 100,000 messages in 1,000 sessions, within this of its start. */
  heapGrowthMb: 50
} as const

/** The core's figures as report rows, each with its goal and the baseline measured beside it. */
export function coreRows(core: CoreReport): BenchRow[] {
  const [small, large] = core.turnStart
  const largeP50 = large?.p50Ms ?? Number.NaN
  const smallP50 = small?.p50Ms ?? Number.NaN
  return [
    measured({
      name: 'core.journaledDrainTurnsPerSecond',
      title: `drain ${core.journaled.sessions} sessions × ${core.journaled.promptsPerSession} prompts, log and journal on disk`,
      value: core.journaled.turnsPerSecond,
      unit: 'turns/s',
      goal: `≥ ${coreGoals.journaledTurnsPerSecond} turns/s`,
      baseline: { what: 'the same drain, history in memory and no journal', value: core.drain.turnsPerSecond, unit: 'turns/s' },
      met: core.journaled.turnsPerSecond >= coreGoals.journaledTurnsPerSecond
    }),
    measured({
      name: 'core.turnStartLongChatP50Ms',
      title: "a turn's start (enqueue → request, p50) in a chat of 10,000 messages",
      value: largeP50,
      unit: 'ms',
      goal: `≤ ${coreGoals.turnStartRatio} × baseline and < ${coreGoals.turnStartMs} ms`,
      baseline: { what: 'the same in a chat of 10', value: smallP50, unit: 'ms' },
      met: largeP50 <= coreGoals.turnStartRatio * smallP50 && largeP50 < coreGoals.turnStartMs
    }),
    measured({
      name: 'core.mainHeapGrowthMb',
      title: `main's heap after ${core.heap.messages.toLocaleString('en')} messages in ${core.heap.sessions.toLocaleString('en')} sessions, idle: growth`,
      value: core.heap.growthMb,
      unit: 'MB',
      goal: `≤ +${coreGoals.heapGrowthMb} MB`,
      baseline: { what: 'the heap at the start', value: core.heap.startMb, unit: 'MB' },
      met: core.heap.growthMb <= coreGoals.heapGrowthMb
    }),
    measured({
      name: 'core.drainTurnsPerSecond',
      title: `drain ${core.drain.sessions} sessions × ${core.drain.promptsPerSession} queued prompts, history in memory`,
      value: core.drain.turnsPerSecond,
      unit: 'turns/s',
      goal: `≥ ${coreGoals.turnsPerSecond} turns/s`,
      baseline: { what: 'the same with log and journal on disk', value: core.journaled.turnsPerSecond, unit: 'turns/s' },
      met: core.drain.turnsPerSecond >= coreGoals.turnsPerSecond
    }),
    measured({
      name: 'core.handoffMeanMs',
      title: 'time the agent adds per queued hand-off (mean)',
      value: core.handoff.meanMs,
      unit: 'ms',
      goal: `≤ ${coreGoals.handoffMs} ms`,
      baseline: { what: 'the same, p50', value: core.handoff.p50Ms, unit: 'ms' },
      met: core.handoff.meanMs <= coreGoals.handoffMs
    }),
    measured({
      name: 'core.idleSessionBytes',
      title: `memory per idle session (${core.idleSession.sessions.toLocaleString('en')} sessions)`,
      value: core.idleSession.bytesPerSession,
      unit: 'B',
      goal: `≤ ${coreGoals.bytesPerIdleSession} B`,
      baseline: { what: 'the same sessions after 3 turns each', value: core.idleSession.afterTurnsBytesPerSession, unit: 'B' },
      met: core.idleSession.bytesPerSession <= coreGoals.bytesPerIdleSession
    })
  ]
}
