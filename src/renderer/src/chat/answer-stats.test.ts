import { describe, expect, it } from 'vitest'
import { answerStats } from './answer-stats'

const texts = (message: Parameters<typeof answerStats>[0]): string[] => answerStats(message).map((stat) => stat.text)

describe('answerStats: what is known, nothing estimated', () => {
  it('shows the model, tokens in and out, time to first token, tokens per second and the whole time', () => {
    expect(
      texts({
        status: 'finished',
        model: 'llama3.2',
        usage: { inputTokens: 1234, outputTokens: 56 },
        timings: { firstTokenMs: 420, durationMs: 2600, tokensPerSecond: 25.04 }
      })
    ).toEqual(['llama3.2', '1,234 in · 56 out', 'TTFT 0.4 s', '25.0 tok/s', '2.6 s'])
  })

  it('leaves out what the provider did not report', () => {
    expect(texts({ status: 'finished', model: 'm', timings: { firstTokenMs: 100, durationMs: 900 } })).toEqual(['m', 'TTFT 0.1 s', '0.9 s'])
  })

  it('shows nothing while streaming, or for an answer that never reached a model (from before this existed too)', () => {
    expect(texts({ status: 'streaming', model: 'm' })).toEqual([])
    expect(texts({ status: 'finished', model: '' })).toEqual([])
    expect(texts({ status: 'finished' })).toEqual([])
  })
})
