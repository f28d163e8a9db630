import { describe, expect, it } from 'vitest'
import { journaled, newRun, toQueuedPrompt } from './run'

describe('Run', () => {
  it('starts queued, with no turn and nothing to narrow to a controller', () => {
    const run = newRun({ runId: 'r', sessionId: 's', prompt: 'hi', enqueuedAt: 5 })
    expect(run.phase).toEqual({ state: 'queued' })
    expect(run.waiters).toEqual([])
    expect(run.userMessage).toBeUndefined()
  })

  it('A3, C3: a queued prompt shows whether it waits for the provider, and its user message once it has one', () => {
    const run = newRun({ runId: 'r', sessionId: 's', prompt: 'hi', enqueuedAt: 5 })
    expect(toQueuedPrompt(run)).toEqual({ runId: 'r', prompt: 'hi', enqueuedAt: 5, state: 'queued' })
    run.phase = { state: 'waiting' }
    run.userMessage = { id: 'u', seq: 3 }
    expect(toQueuedPrompt(run)).toEqual({ runId: 'r', prompt: 'hi', enqueuedAt: 5, state: 'waiting', userMessageId: 'u' })
  })

  it('G1: the journal keeps what a restart needs to run it again, and nothing unset', () => {
    const run = newRun({ runId: 'r', sessionId: 's', prompt: 'hi', enqueuedAt: 5, editOf: 'e', onComplete: () => {} })
    expect(journaled(run)).toEqual({ runId: 'r', sessionId: 's', prompt: 'hi', enqueuedAt: 5, editOf: 'e' })
    run.userMessage = { id: 'u', seq: 3 }
    expect(journaled(run)).toEqual({ runId: 'r', sessionId: 's', prompt: 'hi', enqueuedAt: 5, editOf: 'e', userMessage: { id: 'u', seq: 3 } })
  })
})
