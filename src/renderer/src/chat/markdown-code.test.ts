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
    // Every warmed grammar is one the highlighter knows (an unknown one would be skipped, and warm nothing), and the
    // views' step lays out highlighted code, not a plain block.
    expect(spy.mock.results.map((result) => typeof result.value)).toEqual(['string', 'string', 'string', 'string'])
  })

  it('formats its samples in tasks of their own: the parser two pieces, the highlighter a language at a time', async () => {
    const highlight = await import('./markdown/highlight')
    const highlighted = vi.spyOn(highlight, 'highlightedHtml')
    highlighted.mockClear()
    const tasks = vi.spyOn(globalThis, 'setTimeout')
    const [parser, , highlighter] = markdownSteps
    await parser?.load()
    await parser?.warm?.()
    expect(tasks).toHaveBeenCalledTimes(1)
    tasks.mockClear()
    await highlighter?.load()
    // Each language after the first waits for a task: the one before it has run, the next not yet.
    tasks.mockImplementation(((callback: () => void) => {
      expect(highlighted).toHaveBeenCalledTimes(tasks.mock.calls.length)
      queueMicrotask(callback)
      return 0
    }) as unknown as typeof setTimeout)
    await highlighter?.warm?.()
    expect(tasks).toHaveBeenCalledTimes(2)
    expect(highlighted).toHaveBeenCalledTimes(3)
    tasks.mockRestore()
  })
})
