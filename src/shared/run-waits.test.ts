import { describe, expect, it } from 'vitest'
import type { EventBody, ParleyEvent } from './events'
import { noRunWaits, runWaitsAfter, runWaitsSession } from './run-waits'

let seq = 0
const event = (body: EventBody, at = 0): ParleyEvent => ({ ...body, seq: ++seq, at }) as ParleyEvent
const detail = 'LM Studio is loading qwen3 into memory (the first answer after a start takes longer).'
const retrying = (runId: string): ParleyEvent =>
  event({ type: 'run.retrying', runId, sessionId: 's1', attempt: 2, retryInSeconds: 4, detail: 'Rate limited (429).', status: 429 }, 1_000)

describe('a run\'s waits (rules C4, C6), as main and the window keep them', () => {
  it('C4: a retry takes its time from the event (at + retryInSeconds) and replaces the loading sentence', () => {
    const loading = runWaitsAfter(noRunWaits, event({ type: 'run.loading', runId: 'r1', sessionId: 's1', detail }))
    expect(runWaitsAfter(loading, retrying('r1'))).toEqual({
      retry: { runId: 'r1', attempt: 2, retryAt: 5_000, detail: 'Rate limited (429).', status: 429 },
      loading: undefined
    })
  })

  it("C6: a loading sentence keeps its own run's retry, not another run's", () => {
    const retried = runWaitsAfter(noRunWaits, retrying('r1'))
    expect(runWaitsAfter(retried, event({ type: 'run.loading', runId: 'r1', sessionId: 's1', detail })).retry?.attempt).toBe(2)
    expect(runWaitsAfter(retried, event({ type: 'run.loading', runId: 'r2', sessionId: 's1', detail }))).toEqual({ retry: undefined, loading: { runId: 'r2', detail } })
  })

  it("end with the waiting run's first token or its end, not with a prompt's message or another run's end", () => {
    const waits = runWaitsAfter(noRunWaits, event({ type: 'run.loading', runId: 'r1', sessionId: 's1', detail }))
    const created = (runId: string, role: 'user' | 'assistant'): ParleyEvent =>
      event({ type: 'message.created', message: { id: `${runId}-${role}`, sessionId: 's1', runId, role, parts: [], status: 'streaming', createdAt: 0 } })
    expect(runWaitsAfter(waits, created('r1', 'user'))).toBe(waits)
    expect(runWaitsAfter(waits, created('r2', 'assistant'))).toBe(waits)
    expect(runWaitsAfter(waits, created('r1', 'assistant'))).toEqual(noRunWaits)
    const complete = (runId: string): ParleyEvent => event({ type: 'run.complete', complete: { runId, sessionId: 's1', text: '', cancelled: false } })
    expect(runWaitsAfter(waits, complete('r9'))).toBe(waits)
    expect(runWaitsAfter(waits, complete('r1'))).toEqual(noRunWaits)
    expect(runWaitsAfter(waits, event({ type: 'session.busy', sessionId: 's1', busy: true }))).toBe(waits)
    expect(runWaitsAfter(waits, event({ type: 'session.busy', sessionId: 's1', busy: false }))).toEqual(noRunWaits)
    expect(runWaitsAfter(waits, event({ type: 'run.started', runId: 'r2', sessionId: 's1' }))).toEqual(noRunWaits)
    expect(runWaitsAfter(waits, event({ type: 'session.deleted', sessionId: 's1' }))).toEqual(noRunWaits)
  })

  it('name the chat of each event that moves them, and none for the others', () => {
    expect(runWaitsSession(retrying('r1'))).toBe('s1')
    expect(runWaitsSession(event({ type: 'run.complete', complete: { runId: 'r1', sessionId: 's2', text: '', cancelled: true } }))).toBe('s2')
    expect(runWaitsSession(event({ type: 'queue.changed', sessionId: 's1', queue: [] }))).toBeUndefined()
  })
})
