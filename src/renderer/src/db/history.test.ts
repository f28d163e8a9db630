import { describe, expect, it } from 'vitest'
import { toMessage } from './history'
import { partsOf, streamingTextOf } from './message-parts'
import type { MessageRow } from './schema'

function row(id: string, createdAt: number, createdSeq: number, extra: Partial<MessageRow> = {}): MessageRow {
  return {
    id,
    sessionId: 's1',
    runId: `run-${id}`,
    role: 'assistant',
    parts: [{ type: 'text', text: id }],
    status: 'finished',
    finishReason: 'end_turn',
    createdAt,
    seq: createdSeq,
    createdSeq,
    ...extra
  }
}

describe('history', () => {
  it('gives the shared Message shape, without the row bookkeeping', () => {
    const message = toMessage(row('m1', 5, 7))
    expect(message).toEqual({
      id: 'm1',
      sessionId: 's1',
      runId: 'run-m1',
      role: 'assistant',
      parts: [{ type: 'text', text: 'm1' }],
      status: 'finished',
      finishReason: 'end_turn',
      createdAt: 5
    })
  })

  it('refuses a row that is not a valid message rather than hand main a broken history', () => {
    expect(() => toMessage({ ...row('m1', 5, 7), role: 'system' as never })).toThrow()
  })
})

describe('message parts', () => {
  it('splits text from reasoning and puts them back the way main writes them', () => {
    const value = streamingTextOf({
      parts: [
        { type: 'reasoning', text: 'think ' },
        { type: 'text', text: 'Hello' },
        { type: 'reasoning', text: 'more' },
        { type: 'text', text: ', world' }
      ]
    })
    expect(value).toEqual({ text: 'Hello, world', reasoning: 'think more' })
    expect(partsOf(value)).toEqual([
      { type: 'reasoning', text: 'think more' },
      { type: 'text', text: 'Hello, world' }
    ])
    expect(partsOf({ text: '', reasoning: '' })).toEqual([{ type: 'text', text: '' }])
  })
})
