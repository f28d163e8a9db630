import { describe, expect, it, vi } from 'vitest'
import { markdownSteps } from './markdown-code'

describe('markdownSteps', () => {
  it("rehearse each library of the stack on a sample without an error (a warm-up's errors are swallowed, so they are checked here)", async () => {
    const highlight = await import('./markdown/highlight')
    const spy = vi.spyOn(highlight, 'highlightedHtml')
    for (const step of markdownSteps) {
      await step.load()
      expect(step.warm).toBeDefined()
      await expect(step.warm?.()).resolves.toBeUndefined()
    }
    // Every warmed grammar is one the highlighter knows (an unknown one would be skipped, and warm nothing).
    expect(spy.mock.results.map((result) => typeof result.value)).toEqual(['string', 'string', 'string'])
  })
})
