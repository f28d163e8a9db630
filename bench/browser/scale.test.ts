import { describe, expect, it } from 'vitest'
import { fullScale, scaleFromEnv, smokeScale } from './scale'

describe('bench scale', () => {
  it('is the full one unless smoke is asked for', () => {
    expect(scaleFromEnv({})).toEqual(fullScale)
    expect(scaleFromEnv({ PARLEY_BENCH_SCALE: 'smoke' })).toEqual(smokeScale)
  })

  it('takes the number of chats from PARLEY_BENCH_MANY_CHATS when it is a positive whole number', () => {
    expect(scaleFromEnv({ PARLEY_BENCH_MANY_CHATS: '5000' })).toEqual({ ...fullScale, manyChats: 5000 })
    expect(scaleFromEnv({ PARLEY_BENCH_SCALE: 'smoke', PARLEY_BENCH_MANY_CHATS: '300' }).manyChats).toBe(300)
    for (const wrong of ['', '0', '-5', '2.5', 'many']) expect(scaleFromEnv({ PARLEY_BENCH_MANY_CHATS: wrong })).toEqual(fullScale)
  })

  it('takes the fast streams\' length and pairs from PARLEY_BENCH_THROUGHPUT_TOKENS and _SAMPLES', () => {
    expect(scaleFromEnv({ PARLEY_BENCH_THROUGHPUT_TOKENS: '2000', PARLEY_BENCH_THROUGHPUT_SAMPLES: '7' })).toEqual({
      ...fullScale,
      throughputTokens: 2000,
      throughputSamples: 7
    })
    for (const wrong of ['', '0', '-1', '1.5', 'x']) expect(scaleFromEnv({ PARLEY_BENCH_THROUGHPUT_SAMPLES: wrong })).toEqual(fullScale)
  })
})
