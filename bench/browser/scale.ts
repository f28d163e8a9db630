/** The sizes of one browser bench run: `full` for `npm run bench`, `smoke` for the test in `npm test`. */
export interface BenchScale {
  readonly name: 'full' | 'smoke'
  /** Messages in the chat an answer streams into (issue 11: 500, about 100k tokens, ~99 code blocks). */
  readonly streamChatMessages: number
  /** Tokens of each answer streamed at about 500 tokens/s (highlighting off, then on). */
  readonly pacedTokens: number
  /** Milliseconds between the scripted server's tokens: 2 is 500 tokens/s. */
  readonly tokenDelayMs: number
  /** Tokens of the answer streamed as fast as the provider can, for provider → DOM throughput. */
  readonly throughputTokens: number
  /** Messages of the long chat that is opened and scrolled end to end (10,000). */
  readonly longChatMessages: number
  /** Messages of the chat of long answers (~14,000 characters each) that is opened and scrolled up at a reading pace. */
  readonly longAnswersMessages: number
  /** Chats in the sidebar (50,000), two messages each: also the messages search runs over. */
  readonly manyChats: number
  /** How long scrolling to the top may take before the row reports it did not get there. */
  readonly scrollTimeoutMs: number
  /** How long the page's first opening of the 50,000 chats may take (it copies main's history) before the rows say so. */
  readonly firstOpenTimeoutMs: number
  /** Samples per "open" figure (the median is reported). */
  readonly openSamples: number
  /**
   * Fast streams for provider → DOM, each beside a bare-DOM one (the median of each is reported): one pair read from
   * 53% to 107% of its baseline on a quiet machine, the two racing the bench process and main on two cores.
   */
  readonly throughputSamples: number
}

export const fullScale: BenchScale = {
  name: 'full',
  streamChatMessages: 500,
  pacedTokens: 2_500,
  tokenDelayMs: 2,
  throughputTokens: 10_000,
  longChatMessages: 10_000,
  longAnswersMessages: 200,
  manyChats: 50_000,
  scrollTimeoutMs: 60_000,
  firstOpenTimeoutMs: 240_000,
  openSamples: 5,
  throughputSamples: 3
}

export const smokeScale: BenchScale = {
  name: 'smoke',
  streamChatMessages: 50,
  pacedTokens: 200,
  tokenDelayMs: 2,
  throughputTokens: 200,
  longChatMessages: 50,
  longAnswersMessages: 10,
  manyChats: 100,
  scrollTimeoutMs: 20_000,
  firstOpenTimeoutMs: 120_000,
  openSamples: 1,
  throughputSamples: 1
}

/**
 * PARLEY_BENCH_SCALE=smoke picks the smoke sizes; anything else (or nothing) the full ones. PARLEY_BENCH_MANY_CHATS
 * sets the number of chats in the sidebar's figures (while working on it: 5000 seeds and opens in seconds);
 * PARLEY_BENCH_THROUGHPUT_TOKENS the length of provider → DOM's fast streams (a long one shows the steady rate), and
 * PARLEY_BENCH_THROUGHPUT_SAMPLES how many pairs of them (comparing two builds: more pairs, a steadier median).
 */
export function scaleFromEnv(env: NodeJS.ProcessEnv = process.env): BenchScale {
  const scale = env['PARLEY_BENCH_SCALE'] === 'smoke' ? smokeScale : fullScale
  const chats = Number(env['PARLEY_BENCH_MANY_CHATS'])
  const tokens = Number(env['PARLEY_BENCH_THROUGHPUT_TOKENS'])
  const samples = Number(env['PARLEY_BENCH_THROUGHPUT_SAMPLES'])
  return {
    ...scale,
    ...(Number.isInteger(chats) && chats > 0 ? { manyChats: chats } : {}),
    ...(Number.isInteger(tokens) && tokens > 0 ? { throughputTokens: tokens } : {}),
    ...(Number.isInteger(samples) && samples > 0 ? { throughputSamples: samples } : {})
  }
}
