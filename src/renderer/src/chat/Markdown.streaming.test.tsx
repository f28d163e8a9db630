// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FORMAT_CHARS_PER_FRAME } from './markdown/limits'
import { Markdown } from './Markdown'

/** The test seam: the source of every block react-markdown parses, in order. */
const parsed = vi.hoisted(() => ({ sources: [] as string[] }))
vi.mock('react-markdown', async (importOriginal) => {
  const actual = await importOriginal<typeof import('react-markdown')>()
  return {
    ...actual,
    default: (props: Parameters<typeof actual.default>[0]) => {
      parsed.sources.push(String(props.children))
      return actual.default(props)
    }
  }
})

afterEach(() => {
  cleanup()
  parsed.sources.length = 0
})

/** `count` paragraphs of about 1,000 characters, each with one bold word, the last ending in `end`. */
function paragraphs(count: number, end: string): string {
  return Array.from({ length: count }, (_, i) => `**p${i}** ${'word '.repeat(200)}${i === count - 1 ? end : ''}`).join('\n\n')
}

/** Lets animation frames run until `done` holds (at most 200 of them). */
async function framesUntil(done: () => boolean): Promise<void> {
  for (let frame = 0; frame < 200 && !done(); frame++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
    })
  }
}

describe('Markdown while an answer streams', () => {
  it('shows a burst of text at once, every character, and formats it over the next frames within a budget each', async () => {
    const { container, rerender } = render(<Markdown text="Hello" streaming />)
    const burst = `Hello\n\n${paragraphs(20, 'the-end')}`
    parsed.sources.length = 0
    rerender(<Markdown text={burst} streaming />)
    // In the frame it arrived: all of it on screen, most of it as written, only a budget's worth parsed.
    expect(container.textContent).toContain('the-end')
    expect(container.querySelectorAll('[data-testid="unformatted-block"]').length).toBeGreaterThan(10)
    expect(parsed.sources.join('').length).toBeLessThanOrEqual(FORMAT_CHARS_PER_FRAME + 'Hello'.length)
    await framesUntil(() => container.querySelectorAll('[data-testid="unformatted-block"]').length === 0)
    expect(container.querySelectorAll('[data-testid="unformatted-block"]')).toHaveLength(0)
    expect(container.querySelectorAll('strong')).toHaveLength(20)
    // Each block parsed once: the burst's 20 paragraphs (Hello was parsed before).
    expect(parsed.sources).toHaveLength(20)
    expect(container.textContent?.replace(/\*\*/g, '')).toBe(container.textContent)
  })

  it('leaves a burst still coming in as written, and formats it, each block once, once it has been quiet', async () => {
    const { container, rerender } = render(<Markdown text="Hello" streaming />)
    parsed.sources.length = 0
    const first = `Hello\n\n${paragraphs(10, '')}`
    rerender(<Markdown text={first} streaming />)
    // The next frame brings more of the burst: nothing of it was formatted in the frames it kept coming.
    rerender(<Markdown text={`${first}\n\n${paragraphs(10, 'the-end')}`} streaming />)
    expect(container.textContent).toContain('the-end')
    expect(parsed.sources).toEqual([])
    expect(container.querySelectorAll('[data-testid="unformatted-block"]')).toHaveLength(20)
    await framesUntil(() => container.querySelectorAll('[data-testid="unformatted-block"]').length === 0)
    expect(container.querySelectorAll('strong')).toHaveLength(20)
    expect(parsed.sources).toHaveLength(20)
  })

  it('leaves a burst the answer finished with as written until it is quiet, and formats it then', async () => {
    const { container, rerender } = render(<Markdown text="Hello" streaming />)
    parsed.sources.length = 0
    const whole = `Hello\n\n${paragraphs(10, 'the-end')}`
    rerender(<Markdown text={whole} streaming />)
    // The answer finishes right after its last burst: its end is drawn, nothing of the burst formatted in that frame.
    rerender(<Markdown text={whole} streaming={false} />)
    expect(container.textContent).toContain('the-end')
    expect(parsed.sources).toEqual([])
    await framesUntil(() => container.querySelectorAll('[data-testid="unformatted-block"]').length === 0)
    expect(container.querySelectorAll('strong')).toHaveLength(10)
    expect(parsed.sources).toHaveLength(10)
  })

  it('formats a steady stream as it comes, however many frames it lasts', () => {
    const { container, rerender } = render(<Markdown text="**a0**" streaming />)
    let text = '**a0**'
    for (let i = 1; i < 30; i++) {
      text += `\n\n**a${i}** ${'word '.repeat(40)}`
      rerender(<Markdown text={text} streaming />)
      expect(container.querySelectorAll('[data-testid="unformatted-block"]')).toHaveLength(0)
    }
    expect(container.querySelectorAll('strong')).toHaveLength(30)
  })

  it('parses only the last block again as it grows, never the blocks before it', () => {
    const { rerender } = render(<Markdown text={'One **a**\n\nTwo'} streaming />)
    expect(parsed.sources).toEqual(['One **a**', 'Two'])
    parsed.sources.length = 0
    rerender(<Markdown text={'One **a**\n\nTwo more'} streaming />)
    rerender(<Markdown text={'One **a**\n\nTwo more\n\nThree'} streaming />)
    expect(parsed.sources).toEqual(['Two more', 'Three'])
  })

  it('draws a finished answer formatted at once, however long', () => {
    const { container } = render(<Markdown text={paragraphs(20, 'the-end')} streaming={false} />)
    expect(container.querySelectorAll('[data-testid="unformatted-block"]')).toHaveLength(0)
    expect(container.querySelectorAll('strong')).toHaveLength(20)
  })

  it('starts from none when first drawn mid-stream with a burst already in it', async () => {
    const { container } = render(<Markdown text={paragraphs(20, 'the-end')} streaming />)
    expect(container.textContent).toContain('the-end')
    expect(container.querySelectorAll('strong').length).toBeLessThan(20)
    await framesUntil(() => container.querySelectorAll('strong').length === 20)
    expect(container.querySelectorAll('strong')).toHaveLength(20)
  })
})
