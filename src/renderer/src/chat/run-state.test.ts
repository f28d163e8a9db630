import { describe, expect, it } from 'vitest'
import { awaitedAnswerLabel, errorSentence, runStateOf, waitingAnswerText } from './run-state'

describe('runStateOf', () => {
  it('labels each state of a run', () => {
    expect(runStateOf({ status: 'streaming' })).toEqual({ label: 'Streaming…', tone: 'live' })
    expect(runStateOf({ status: 'finished', finishReason: 'canceled' })).toEqual({ label: 'Stopped', tone: 'stopped' })
    expect(runStateOf({ status: 'finished', finishReason: 'error' })).toEqual({ label: 'Failed', tone: 'error' })
    expect(runStateOf({ status: 'finished', finishReason: 'interrupted' }).label).toBe('Interrupted')
    expect(runStateOf({ status: 'finished', finishReason: 'end_turn' }).label).toBe('Done')
    expect(runStateOf({ status: 'finished' }).label).toBe('Done')
  })

  it('says an answer that ended well without a word is empty; a stopped, failed or streaming one is not', () => {
    expect(runStateOf({ status: 'finished', finishReason: 'end_turn' }, false)).toEqual({ label: 'Empty answer', tone: 'warning' })
    expect(runStateOf({ status: 'finished' }, false).label).toBe('Empty answer')
    expect(runStateOf({ status: 'finished', finishReason: 'end_turn' }, true).label).toBe('Done')
    expect(runStateOf({ status: 'finished', finishReason: 'canceled' }, false).label).toBe('Stopped')
    expect(runStateOf({ status: 'finished', finishReason: 'error' }, false).label).toBe('Failed')
    expect(runStateOf({ status: 'finished', finishReason: 'max_tokens' }, false).label).toBe('Cut off at the length limit')
    expect(runStateOf({ status: 'streaming' }, false).label).toBe('Streaming…')
  })
})

describe('errorSentence', () => {
  it("shows main's sentence as it is", () => {
    expect(errorSentence({ finishReason: 'error', error: 'The provider refused the API key (401).' })).toBe(
      'The provider refused the API key (401).'
    )
    expect(errorSentence({ finishReason: 'end_turn' })).toBeUndefined()
  })

  it('turns the bare word of an interrupted answer into a sentence', () => {
    expect(errorSentence({ finishReason: 'interrupted', error: 'interrupted' })).toMatch(/closed before this answer/)
  })
})

describe('awaitedAnswerLabel', () => {
  it('C4: counts down to the next try of a rate-limited run, then says it is trying', () => {
    const retry = { runId: 'r1', attempt: 1, retryAt: 5_000, detail: 'The model server is rate limiting requests (429).' }
    expect(awaitedAnswerLabel(undefined, 0)).toBe('Waiting for the model…')
    // Without a clock: the sentence a screen reader is told once, no seconds in it.
    expect(awaitedAnswerLabel({ runId: 'r', attempt: 1, retryAt: 5_000, detail: 'slow down', status: 429 }, undefined)).toBe('Rate limited: Parley tries again by itself.')
    expect(awaitedAnswerLabel(retry, 2_100)).toBe('Rate limited: retrying in 3 s')
    expect(awaitedAnswerLabel(retry, 5_000)).toBe('Rate limited: trying again…')
  })

  it("C6: while the server loads the model into memory for it (Ollama, LM Studio), main's sentence; a rate limit's countdown before it", () => {
    const loading = { runId: 'r1', detail: 'Ollama is loading llama3.2 into memory (the first answer after a start takes longer).' }
    expect(awaitedAnswerLabel(undefined, 0, loading)).toBe('Ollama is loading llama3.2 into memory (the first answer after a start takes longer).')
    expect(awaitedAnswerLabel(undefined, undefined, loading)).toBe('Ollama is loading llama3.2 into memory (the first answer after a start takes longer).')
    expect(awaitedAnswerLabel({ runId: 'r1', attempt: 1, retryAt: 5_000, detail: '', status: 429 }, 2_100, loading)).toBe('Rate limited: retrying in 3 s')
  })

  it('C4: an overloaded server (529) is not called a rate limit', () => {
    const retry = { runId: 'r1', attempt: 2, retryAt: 4_000, detail: 'The model server is overloaded (529).', status: 529 }
    expect(awaitedAnswerLabel(retry, 1_000)).toBe('The server is busy: retrying in 3 s')
    expect(awaitedAnswerLabel({ ...retry, status: 429 }, 1_000)).toBe('Rate limited: retrying in 3 s')
  })
})

describe('waitingAnswerText', () => {
  it('C3, C6: a waiting answer says whether the server is offline or loading the model', () => {
    expect(waitingAnswerText('unreachable')).toEqual({
      label: 'Waiting for the model…',
      detail: 'Offline: this prompt runs as soon as the model server answers.'
    })
    // C6: the banner says why and gives the server's words; the answer doesn't say it again.
    expect(waitingAnswerText('loading')).toEqual({ label: 'Waiting for the model to load…', detail: undefined })
  })
})
