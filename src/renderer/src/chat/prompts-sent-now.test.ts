import { describe, expect, it } from 'vitest'
import { PromptsSentNow } from './prompts-sent-now'

describe('prompts sent to an idle chat', () => {
  it('remembers the newest ones it was told of, and no others', () => {
    const sent = new PromptsSentNow(3)
    for (const runId of ['r1', 'r2', 'r3', 'r4']) sent.note(runId)
    expect(['r1', 'r2', 'r3', 'r4', 'r5'].map((runId) => sent.has(runId))).toEqual([false, true, true, true, false])
  })

  it('forgets a prompt main queued after all', () => {
    const sent = new PromptsSentNow()
    sent.note('r1')
    sent.note('r2')
    sent.forget('r1')
    expect([sent.has('r1'), sent.has('r2')]).toEqual([false, true])
  })
})
