import { describe, expect, it } from 'vitest'
import { tokensPerSecond } from './answer-writer'

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
