import type { RunArgs } from '../cli-args'

/** `parley run` in chat `sessionId`, streaming, with nothing else asked (tests change what they need). */
export const runArgs = (sessionId: string, overrides: Partial<RunArgs> = {}): RunArgs => ({
  kind: 'run',
  target: { kind: 'session', sessionId },
  model: null,
  system: null,
  timeoutSeconds: 600,
  output: 'stream',
  words: [],
  attach: [],
  failFast: false,
  ...overrides
})
