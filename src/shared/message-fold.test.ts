import { describe, expect, it } from 'vitest'
import type { EventOf } from './events'
import type { Message } from './message'
import { foldMessage, foldMessageEvents, mergeDeltas, partsOf, textsOf } from './message-fold'

const created = (parts: Message['parts'] = []): EventOf<'message.created'> => ({
  type: 'message.created',
  message: { id: 'm1', sessionId: 's1', runId: 'r1', role: 'assistant', parts, status: 'streaming', createdAt: 1 },
  seq: 1,
  at: 1
})
const delta = (seq: number, text?: string, reasoning?: string): EventOf<'message.delta'> => ({
  type: 'message.delta',
  sessionId: 's1',
  messageId: 'm1',
  ...(text !== undefined ? { text } : {}),
  ...(reasoning !== undefined ? { reasoning } : {}),
  seq,
  at: seq
})

describe('foldMessage (the one reducer)', () => {
  it('B3: created, then deltas append text and reasoning, reasoning first', () => {
    const message = foldMessageEvents([created(), delta(2, 'Hel', 'hmm'), delta(3, 'lo'), delta(4, undefined, '…')])
    expect(message?.parts).toEqual([
      { type: 'reasoning', text: 'hmm…' },
      { type: 'text', text: 'Hello' }
    ])
    expect(message?.status).toBe('streaming')
  })

  it('B4: finished replaces the message; a delta after it changes nothing', () => {
    const finished: EventOf<'message.finished'> = {
      type: 'message.finished',
      message: { ...created().message, parts: [{ type: 'text', text: 'Final' }], status: 'finished', finishReason: 'end_turn' },
      seq: 5,
      at: 5
    }
    const message = foldMessageEvents([created(), delta(2, 'draft'), finished, delta(6, 'late')])
    expect(message).toEqual(finished.message)
    expect(message).not.toBe(finished.message)
  })

  it('a delta for an unknown message changes nothing, and folding never changes its arguments', () => {
    expect(foldMessage(undefined, delta(2, 'x'))).toBeUndefined()
    const event = created([{ type: 'text', text: 'a' }])
    const first = foldMessage(undefined, event)
    const second = foldMessage(first, delta(2, 'b'))
    expect(event.message.parts).toEqual([{ type: 'text', text: 'a' }])
    expect(first?.parts).toEqual([{ type: 'text', text: 'a' }])
    expect(second?.parts).toEqual([{ type: 'text', text: 'ab' }])
  })

  it('leaves B3\'s leading newline to the agent: a delta is appended as it is', () => {
    expect(foldMessageEvents([created(), delta(2, '\nHi')])?.parts).toEqual([{ type: 'text', text: '\nHi' }])
  })

  it('F2: two deltas merge into one, stamped as the later', () => {
    expect(mergeDeltas(delta(2, 'a', 'r'), delta(3, 'b'))).toEqual({ ...delta(3, 'ab', 'r') })
  })

  it('a merged delta starts where its first part with text (or reasoning) started', () => {
    const at = (event: EventOf<'message.delta'>, textOffset?: number, reasoningOffset?: number): EventOf<'message.delta'> => ({
      ...event,
      ...(textOffset !== undefined ? { textOffset } : {}),
      ...(reasoningOffset !== undefined ? { reasoningOffset } : {})
    })
    expect(mergeDeltas(at(delta(2, 'ab'), 5), at(delta(3, 'cd'), 7))).toEqual(at(delta(3, 'abcd'), 5))
    // The first part had only reasoning: the text starts where the second's did.
    expect(mergeDeltas(at(delta(2, undefined, 'r'), undefined, 4), at(delta(3, 'x', 's'), 9, 5))).toEqual(at(delta(3, 'x', 'rs'), 9, 4))
    // Deltas from before offsets merge as they did.
    expect(mergeDeltas(delta(2, 'a'), delta(3, 'b'))).toEqual(delta(3, 'ab'))
  })

  it('textsOf and partsOf are inverses for answers', () => {
    const texts = { text: 't', reasoning: 'r' }
    expect(textsOf({ parts: partsOf(texts) })).toEqual(texts)
    expect(partsOf({ text: '', reasoning: '' })).toEqual([{ type: 'text', text: '' }])
  })
})
