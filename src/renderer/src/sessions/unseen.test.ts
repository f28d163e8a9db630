import { describe, expect, it } from 'vitest'
import type { ParleyEvent } from '../../../shared'
import type { UnseenMark } from '../db/schema'
import { assistantMessage, finished, userMessage } from '../testing/history-fixtures'
import { afterFinish, afterOpen, finishedAnswer, isUnseen } from './unseen'

const stamp = { seq: 7, at: 1 }

describe('finishedAnswer', () => {
  it('counts an assistant message finishing, and a run completing', () => {
    const answer = finished(assistantMessage('s1', 'a1'), 'Hello')
    expect(finishedAnswer({ type: 'message.finished', message: answer, ...stamp })).toEqual({ sessionId: 's1', seq: 7 })
    const complete = { runId: 'r1', sessionId: 's1', text: 'Hello', cancelled: false }
    expect(finishedAnswer({ type: 'run.complete', complete, ...stamp })).toEqual({ sessionId: 's1', seq: 7 })
  })

  it('ignores a cancelled run, a user message and every other event', () => {
    const cancelled = { runId: 'r1', sessionId: 's1', text: '', cancelled: true }
    const others: ParleyEvent[] = [
      { type: 'run.complete', complete: cancelled, ...stamp },
      { type: 'message.finished', message: userMessage('s1', 'u1', 'hi'), ...stamp },
      { type: 'message.created', message: assistantMessage('s1', 'a1'), ...stamp },
      { type: 'session.busy', sessionId: 's1', busy: false, ...stamp },
      { type: 'session.open', sessionId: 's1', ...stamp }
    ]
    for (const event of others) expect(finishedAnswer(event)).toBeUndefined()
  })
})

describe('unseen marks', () => {
  it('a row without marks (written before they existed) is seen', () => {
    expect(isUnseen({})).toBe(false)
  })

  it('an answer that finishes out of sight marks the chat; one that finishes in view does not', () => {
    expect(afterFinish({}, 5, false)).toEqual({ unseenSeq: 5 })
    expect(isUnseen({ unseenSeq: 5 })).toBe(true)
    expect(afterFinish({}, 5, true)).toEqual({ seenSeq: 5 })
  })

  it('opening the chat clears the mark, and nothing else', () => {
    expect(afterOpen({ unseenSeq: 5 })).toEqual({ seenSeq: 5 })
    expect(isUnseen({ unseenSeq: 5, seenSeq: 5 })).toBe(false)
    expect(afterOpen({ unseenSeq: 5, seenSeq: 5 })).toBeUndefined()
    expect(afterOpen({})).toBeUndefined()
  })

  it('the same finish applied again, after the chat was opened, does not mark it again', () => {
    const opened = { unseenSeq: 5, seenSeq: 5 }
    expect(afterFinish(opened, 5, false)).toBeUndefined()
    expect(afterFinish({ unseenSeq: 5 }, 5, false)).toBeUndefined()
    expect(afterFinish({ seenSeq: 9 }, 9, true)).toBeUndefined()
  })

  it('a later answer marks an opened chat again', () => {
    expect(afterFinish({ unseenSeq: 5, seenSeq: 5 }, 8, false)).toEqual({ unseenSeq: 8 })
  })

  it('ends the same whichever order a window that watched and one that did not write in', () => {
    const fold = (...steps: ((mark: UnseenMark) => UnseenMark | undefined)[]): UnseenMark =>
      steps.reduce<UnseenMark>((mark, step) => ({ ...mark, ...step(mark) }), {})
    const watched = (mark: UnseenMark) => afterFinish(mark, 5, true)
    const unwatched = (mark: UnseenMark) => afterFinish(mark, 5, false)
    expect(isUnseen(fold(watched, unwatched))).toBe(false)
    expect(isUnseen(fold(unwatched, watched))).toBe(false)
  })
})
