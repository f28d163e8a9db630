import { describe, expect, it } from 'vitest'
import type { EventBody, ParleyEvent } from '../../../shared'
import { RunWaits } from './run-waits'

let seq = 0
const event = (body: EventBody, at = 0): ParleyEvent => ({ ...body, seq: ++seq, at }) as ParleyEvent
const detail = 'Ollama is loading llama3.2 into memory (the first answer after a start takes longer).'
const refusal = 'The model server is rate limiting requests (429).'
const answer = (runId: string, role: 'user' | 'assistant' = 'assistant'): ParleyEvent =>
  event({ type: 'message.created', message: { id: `m-${runId}-${role}`, sessionId: 's1', runId, role, parts: [], status: 'streaming', createdAt: 0 } })

describe('RunWaits', () => {
  it('C6: keeps the loading sentence of the active run until its answer is created (its first token)', () => {
    const waits = new RunWaits()
    waits.take(event({ type: 'run.started', runId: 'r1', sessionId: 's1' }))
    waits.take(answer('r1', 'user'))
    waits.take(event({ type: 'run.loading', runId: 'r1', sessionId: 's1', detail }))
    expect(waits.of('s1', 'r1')).toEqual({ loading: { runId: 'r1', detail } })
    // Only for that run, and only in its chat.
    expect(waits.of('s1', 'r2')).toEqual({})
    expect(waits.of('s2', 'r1')).toEqual({})
    expect(waits.of('s1', undefined)).toEqual({})
    waits.take(answer('r1'))
    expect(waits.of('s1', 'r1')).toEqual({})
  })

  it('C4: keeps a rate limit\'s next try (at + retryInSeconds) until the answer starts; a retry replaces the loading sentence', () => {
    const waits = new RunWaits()
    waits.take(event({ type: 'run.loading', runId: 'r1', sessionId: 's1', detail }))
    waits.take(event({ type: 'run.retrying', runId: 'r1', sessionId: 's1', attempt: 1, retryInSeconds: 3, detail: refusal, status: 429 }, 10_000))
    expect(waits.of('s1', 'r1')).toEqual({ retry: { runId: 'r1', attempt: 1, retryAt: 13_000, detail: refusal, status: 429 } })
    // Loading after the retry (the next try waits on the load): both, as the window keeps them (the countdown first).
    waits.take(event({ type: 'run.loading', runId: 'r1', sessionId: 's1', detail }))
    expect(waits.of('s1', 'r1')).toMatchObject({ retry: { attempt: 1 }, loading: { detail } })
    waits.take(answer('r1'))
    expect(waits.of('s1', 'r1')).toEqual({})
  })

  it('forgets them when the run completes, another run starts, the chat is no longer busy or is deleted', () => {
    const waits = new RunWaits()
    const loading = (runId: string): ParleyEvent => event({ type: 'run.loading', runId, sessionId: 's1', detail })
    waits.take(loading('r1'))
    waits.take(event({ type: 'run.complete', complete: { runId: 'r1', sessionId: 's1', text: '', cancelled: true } }))
    expect(waits.of('s1', 'r1')).toEqual({})
    waits.take(loading('r2'))
    // Another run's end changes nothing.
    waits.take(event({ type: 'run.complete', complete: { runId: 'r9', sessionId: 's1', text: '', cancelled: true } }))
    expect(waits.of('s1', 'r2')).toEqual({ loading: { runId: 'r2', detail } })
    waits.take(event({ type: 'run.started', runId: 'r3', sessionId: 's1' }))
    expect(waits.of('s1', 'r2')).toEqual({})
    waits.take(loading('r3'))
    waits.take(event({ type: 'session.busy', sessionId: 's1', busy: false }))
    expect(waits.of('s1', 'r3')).toEqual({})
    waits.take(loading('r4'))
    waits.take(event({ type: 'session.deleted', sessionId: 's1' }))
    expect(waits.of('s1', 'r4')).toEqual({})
  })
})
