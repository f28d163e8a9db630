import { describe, expect, it } from 'vitest'
import type { EventBody, ParleyEvent } from '../../../shared'
import { AnswerWriter, tokensPerSecond } from './answer-writer'

describe('tokensPerSecond: measured, never estimated', () => {
  it('divides the reported output tokens by the time from the first token to the end', () => {
    expect(tokensPerSecond({ inputTokens: 5, outputTokens: 50 }, 1000, 3000)).toEqual({ tokensPerSecond: 25 })
  })

  it('gives nothing without usage, without a first token, or for an answer that came in one piece', () => {
    expect(tokensPerSecond(undefined, 1000, 3000)).toEqual({})
    expect(tokensPerSecond({ inputTokens: 5, outputTokens: 50 }, undefined, 3000)).toEqual({})
    expect(tokensPerSecond({ inputTokens: 5, outputTokens: 50 }, 3000, 3000)).toEqual({})
    expect(tokensPerSecond({ inputTokens: 5, outputTokens: 0 }, 1000, 3000)).toEqual({})
  })
})

describe('AnswerWriter: each delta says where its piece starts', () => {
  it('offsets count what the deltas before carried, text and reasoning apart, also after text-was-reasoning', () => {
    const published: EventBody[] = []
    const writer = new AnswerWriter(
      {
        publish: (body) => {
          published.push(body)
          return { ...body, seq: published.length, at: 0 } as ParleyEvent
        }
      },
      { messageId: 'm1', sessionId: 's1', runId: 'r1', providerId: 'p', model: 'x' },
      () => 0,
      0
    )
    // An interval of 0: each piece is its own delta.
    writer.take({ type: 'reasoning', text: 'think' })
    writer.take({ type: 'text', text: 'Hello' })
    // The text so far was thinking after all: the window keeps what streamed, so offsets go on from it.
    writer.take({ type: 'text-was-reasoning' })
    writer.take({ type: 'text', text: ' world' })
    writer.take({ type: 'reasoning', text: 'more' })
    const deltas = published.filter((body): body is Extract<EventBody, { type: 'message.delta' }> => body.type === 'message.delta')
    expect(deltas.map((d) => ({ text: d.text, textOffset: d.textOffset, reasoning: d.reasoning, reasoningOffset: d.reasoningOffset }))).toEqual([
      { text: undefined, textOffset: undefined, reasoning: 'think', reasoningOffset: 0 },
      { text: 'Hello', textOffset: 0, reasoning: undefined, reasoningOffset: undefined },
      { text: ' world', textOffset: 5, reasoning: undefined, reasoningOffset: undefined },
      { text: undefined, textOffset: undefined, reasoning: 'more', reasoningOffset: 5 }
    ])
  })
})
