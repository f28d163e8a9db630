import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Message, RunComplete } from '../../../shared'
import { EventBroker } from '../events/event-broker'
import { SessionLog } from './session-log'

const logs: SessionLog[] = []
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close()
})

async function openLog(dir: string, keptOutcomes: number): Promise<SessionLog> {
  const log = await SessionLog.open(join(dir, 'session-log'), { keptOutcomes })
  logs.push(log)
  return log
}

async function reopen(log: SessionLog, dir: string, keptOutcomes: number): Promise<SessionLog> {
  await log.close()
  logs.splice(logs.indexOf(log), 1)
  return openLog(dir, keptOutcomes)
}

const answer = (n: number, sessionId = 's1'): Message => ({
  id: `a${n}`,
  sessionId,
  runId: `r${n}`,
  role: 'assistant',
  parts: [{ type: 'reasoning', text: 'hmm' }, { type: 'text', text: `answer ${n}` }],
  status: 'finished',
  finishReason: 'end_turn',
  createdAt: n
})

/** One run's end as the agent publishes it: its finished answer, then its RunComplete. */
function endRun(broker: EventBroker, n: number, sessionId = 's1'): RunComplete {
  const message = answer(n, sessionId)
  broker.publish({ type: 'message.created', message: { ...message, parts: [], status: 'streaming' } })
  broker.publish({ type: 'message.finished', message })
  const complete: RunComplete = { runId: `r${n}`, sessionId, messageId: message.id, text: `answer ${n}`, cancelled: false }
  broker.publish({ type: 'run.complete', complete })
  return complete
}

describe('the run outcome index (G4)', () => {
  it('G4: keeps the last N runs\' outcomes, as their RunCompletes said, across a reopen; older ones are forgotten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-outcomes-'))
    let log = await openLog(dir, 3)
    const broker = new EventBroker()
    log.attach(broker)
    const completes = [1, 2, 3, 4, 5].map((n) => endRun(broker, n))
    const stopped: RunComplete = { runId: 'r6', sessionId: 's1', text: '', cancelled: true }
    const stoppedEvent = broker.publish({ type: 'run.complete', complete: stopped })
    // Visible at once, before the write is committed.
    expect(log.outcome('r6')).toEqual(stopped)
    await log.written()
    expect(log.outcome('r1')).toBeUndefined()
    expect(log.outcome('r2')).toBeUndefined()
    expect(log.outcome('r3')).toBeUndefined()
    expect([4, 5].map((n) => log.outcome(`r${n}`))).toEqual(completes.slice(3))
    expect(log.outcome('r6')).toEqual(stopped)

    log = await reopen(log, dir, 3)
    expect(['r3', 'r4', 'r5', 'r6'].map((runId) => log.outcome(runId))).toEqual([undefined, ...completes.slice(3), stopped])
    // A RunComplete replayed after a restart (the journal's, with its own seq) changes nothing.
    expect(log.appliedSeq).toBeLessThan(stoppedEvent.seq)
    log.apply(stoppedEvent)
    await log.written()
    expect(log.outcome('r6')).toEqual(stopped)
    expect(log.outcome('r4')).toEqual(completes[3])
  })

  it('G4: a deleted chat\'s runs keep their outcome, not their words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-outcomes-'))
    const log = await openLog(dir, 10)
    const broker = new EventBroker()
    log.attach(broker)
    const kept = endRun(broker, 1, 'kept')
    const gone = endRun(broker, 2, 'gone')
    broker.publish({ type: 'session.deleted', sessionId: 'gone' })
    await log.written()
    expect(log.outcome('r1')).toEqual(kept)
    expect(log.outcome('r2')).toEqual({ ...gone, text: '' })
  })
})
