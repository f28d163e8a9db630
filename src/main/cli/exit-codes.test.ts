import { describe, expect, it } from 'vitest'
import { exitCodes, exitFor } from './exit-codes'

const base = { runId: 'r', sessionId: 's', text: 'answer', cancelled: false }

describe('how a run\'s end ends the command', () => {
  it('0 when it finished; 1 with the error when it failed or was cancelled by someone else', () => {
    expect(exitFor(base)).toEqual({ code: exitCodes.done, problem: null })
    expect(exitFor({ ...base, error: 'The server said 500.' })).toEqual({ code: 1, problem: 'The server said 500.' })
    expect(exitFor({ ...base, cancelled: true })).toEqual({ code: 1, problem: 'The run was cancelled (stopped in the app or by another command).' })
    expect(exitFor({ ...base, cancelled: true }, { chatDeleted: true })).toEqual({
      code: 1,
      problem: 'The chat was deleted (in the app or by another command), so the run was cancelled.'
    })
    expect(exitCodes).toEqual({ done: 0, failed: 1, usage: 2, serverUnreachable: 69, timedOut: 124, hungUp: 129, interrupted: 130, outputClosed: 141, terminated: 143 })
  })

  it('G2: a run cut off by a crash or a quit says so in a sentence, not the bare "interrupted" of its RunComplete', () => {
    const { code, problem } = exitFor({ ...base, error: 'interrupted' })
    expect(code).toBe(exitCodes.failed)
    expect(problem).toMatch(/^Parley closed before this answer finished \(interrupted\); what was printed is what had arrived/)
  })
})
