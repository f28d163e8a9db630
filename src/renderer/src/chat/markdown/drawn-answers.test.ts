import { describe, expect, it, vi } from 'vitest'
import { DrawnAnswers } from './drawn-answers'

/** Answers kept whose HTML is read only when the test says the window is idle. */
function drawnAnswers(maxChars?: number, maxUnread?: number): { drawn: DrawnAnswers; idle: () => Promise<void> } {
  let resolveIdle: (() => void) | undefined
  const drawn = new DrawnAnswers(maxChars, () => new Promise<void>((resolve) => (resolveIdle = resolve)), maxUnread)
  return {
    drawn,
    idle: async () => {
      resolveIdle?.()
      resolveIdle = undefined
      await Promise.resolve()
      await Promise.resolve()
    }
  }
}

const html = (value: string) => () => value

describe('the HTML of answers as last drawn', () => {
  it('gives an answer’s HTML back only while its text is the text it was drawn from', async () => {
    const { drawn, idle } = drawnAnswers()
    drawn.keep('a1', '# Title\n\nText', html('<h1>Title</h1><p>Text</p>'))
    expect(drawn.htmlOf('a1', '# Title\n\nText')).toBe('<h1>Title</h1><p>Text</p>')
    expect(drawn.htmlOf('a1', '# Title\n\nText, edited')).toBeUndefined()
    expect(drawn.htmlOf('a2', '# Title\n\nText')).toBeUndefined()
    drawn.keep('a1', 'Other', html('<p>Other</p>'))
    await idle()
    expect(drawn.htmlOf('a1', 'Other')).toBe('<p>Other</p>')
    expect(drawn.htmlOf('a1', '# Title\n\nText')).toBeUndefined()
    // Told apart by the text itself: an edit of the same length is another answer.
    drawn.keep('a3', 'abc', html('<p>abc</p>'))
    expect(drawn.htmlOf('a3', 'abd')).toBeUndefined()
  })

  it('reads the HTML once the window is idle, one answer an idle period, or at once when asked first', async () => {
    const { drawn, idle } = drawnAnswers()
    const first = vi.fn(() => '<p>one</p>')
    const second = vi.fn(() => '<p>two</p>')
    const third = vi.fn(() => '<p>three</p>')
    drawn.keep('a1', 'one', first)
    drawn.keep('a2', 'two', second)
    drawn.keep('a3', 'three', third)
    expect(first).not.toHaveBeenCalled()
    expect(drawn.unread).toBe(3)
    // Drawn again before the window was idle: read now.
    expect(drawn.htmlOf('a2', 'two')).toBe('<p>two</p>')
    expect(second).toHaveBeenCalledTimes(1)
    expect(drawn.unread).toBe(2)
    // The oldest first, one an idle period (all at once, those a fling left were a long task).
    await idle()
    expect(first).toHaveBeenCalledTimes(1)
    expect(third).not.toHaveBeenCalled()
    expect(drawn.unread).toBe(1)
    await idle()
    expect(third).toHaveBeenCalledTimes(1)
    expect(drawn.unread).toBe(0)
    expect(drawn.htmlOf('a1', 'one')).toBe('<p>one</p>')
    expect(drawn.htmlOf('a2', 'two')).toBe('<p>two</p>')
    expect(first).toHaveBeenCalledTimes(1)
    expect(second).toHaveBeenCalledTimes(1)
  })

  it('keeps at most a few answers unread: a fling leaves them faster than idle periods come, and each holds its element', async () => {
    const { drawn, idle } = drawnAnswers(undefined, 2)
    const read = vi.fn((n: number) => `<p>${n}</p>`)
    for (const n of [1, 2, 3, 4]) drawn.keep(`a${n}`, `${n}`, () => read(n))
    expect(drawn.unread).toBe(2)
    expect(drawn.htmlOf('a1', '1')).toBeUndefined()
    expect(drawn.htmlOf('a2', '2')).toBeUndefined()
    await idle()
    await idle()
    expect(read.mock.calls.map(([n]) => n)).toEqual([3, 4])
    expect(drawn.htmlOf('a4', '4')).toBe('<p>4</p>')
  })

  it('keeps nothing of an answer whose element was not formatted whole', async () => {
    const { drawn, idle } = drawnAnswers()
    drawn.keep('a1', 'one', () => undefined)
    drawn.keep('a2', 'two', () => undefined)
    expect(drawn.htmlOf('a1', 'one')).toBeUndefined()
    await idle()
    expect(drawn.htmlOf('a2', 'two')).toBeUndefined()
    expect(drawn.unread).toBe(0)
  })

  it('forgets the answers drawn longest ago past its size, and keeps none larger than all of it', async () => {
    const { drawn, idle } = drawnAnswers(10)
    drawn.keep('a1', 'one', html('<p>1</p>'))
    drawn.keep('a2', 'two', html('<b>2</b>'))
    await idle()
    await idle()
    // Over 10 characters: the oldest goes.
    expect(drawn.htmlOf('a1', 'one')).toBeUndefined()
    expect(drawn.htmlOf('a2', 'two')).toBe('<b>2</b>')
    // Kept again, an answer is the newest.
    drawn.keep('a3', 'x', html('x'))
    await idle()
    drawn.keep('a2', 'two', html('<b>2</b>'))
    await idle()
    drawn.keep('a4', 'y', html('yy'))
    await idle()
    expect(drawn.htmlOf('a3', 'x')).toBeUndefined()
    expect(drawn.htmlOf('a2', 'two')).toBe('<b>2</b>')
    expect(drawn.htmlOf('a4', 'y')).toBe('yy')
    drawn.keep('a5', 'big', html('<p>far too long</p>'))
    await idle()
    expect(drawn.htmlOf('a5', 'big')).toBeUndefined()
    expect(drawn.htmlOf('a2', 'two')).toBe('<b>2</b>')
  })
})
