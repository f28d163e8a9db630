// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { formattedInBackground } from './markdown/format-budget'
import { ANSWER_FORMAT_COST_CHARS, BACKGROUND_FORMAT_CHARS, FORMAT_CHARS_PER_FRAME, PARSE_MAX_CHARS, TABLE_FIRST_ROWS_DRAWN, TABLE_PARSED_MAX_ROWS } from './markdown/limits'
import { Markdown } from './Markdown'

afterEach(cleanup)

const table = (rows: number): string =>
  ['| n | square |', '|---|---|', ...Array.from({ length: rows }, (_, i) => `| ${i} | ${i * i} |`)].join('\n')

/** A finished answer longer than the background limit: prose and code blocks. */
const longAnswer = (): string => {
  const block = 'Some prose about **the code** below.\n\n```ts\nconst x = 1\n```'
  return Array.from({ length: Math.ceil(BACKGROUND_FORMAT_CHARS / block.length) + 1 }, () => block).join('\n\n')
}

describe('formattedInBackground', () => {
  it('is for finished answers longer than the limit, never for one drawn while it streams', () => {
    expect(formattedInBackground(BACKGROUND_FORMAT_CHARS + 1, false)).toBe(true)
    expect(formattedInBackground(BACKGROUND_FORMAT_CHARS, false)).toBe(false)
    expect(formattedInBackground(BACKGROUND_FORMAT_CHARS * 10, true)).toBe(false)
  })
})

/**
 * Draws `answers` (finished) into `container` and answers the texts drawn as written first (act flushes the deferred
 * renders too: what a first commit drew as written is seen as it is added).
 */
async function drawnAsWritten(container: HTMLElement, answers: readonly string[]): Promise<string[]> {
  const asWritten: string[] = []
  const watch = new MutationObserver((changes) => {
    for (const change of changes) for (const node of change.addedNodes) if (node instanceof HTMLElement && node.hasAttribute('data-formatting')) asWritten.push(node.textContent)
  })
  watch.observe(container, { childList: true, subtree: true })
  render(
    <>
      {answers.map((text, i) => (
        <Markdown key={i} text={text} streaming={false} />
      ))}
    </>,
    { container }
  )
  await act(async () => undefined)
  watch.disconnect()
  return asWritten
}

describe('Markdown', () => {
  it('draws a long finished answer as written first, then formatted in a render of its own', async () => {
    const text = longAnswer()
    const container = document.body.appendChild(document.createElement('div'))
    expect(await drawnAsWritten(container, [text])).toEqual([text])
    expect(container.querySelector('[data-formatting]')).toBeNull()
    expect(screen.getAllByTestId('code-block').length).toBeGreaterThan(1)
    expect(container.querySelector('strong')?.textContent).toBe('the code')
  })

  it('draws a long answer drawn before (scrolled back to) as this window last drew it first, as tall as formatted, never as written', async () => {
    const text = longAnswer()
    const drawOnce = async (drawn = text): Promise<{ firsts: string[]; html: string }> => {
      const container = document.body.appendChild(document.createElement('div'))
      const firsts: string[] = []
      const watch = new MutationObserver((changes) => {
        for (const change of changes)
          for (const node of change.addedNodes) if (node instanceof HTMLElement && node.hasAttribute('data-formatting')) firsts.push(node.innerHTML)
      })
      watch.observe(container, { childList: true, subtree: true })
      render(<Markdown text={drawn} streaming={false} messageId="drawn-before" />, { container })
      await act(async () => undefined)
      watch.disconnect()
      const html = container.querySelector('.markdown')?.innerHTML ?? ''
      cleanup()
      return { firsts, html }
    }
    const first = await drawOnce()
    // Drawn the first time: as written, then formatted.
    expect(first.firsts).toHaveLength(1)
    expect(first.firsts[0]).toContain('long-text-body')
    // Drawn again: the HTML it had when it went, then formatted anew (the same).
    const again = await drawOnce()
    expect(again.firsts).toEqual([first.html])
    expect(again.html).toBe(first.html)
    // Its text changed (edited in place): as written again.
    const edited = await drawOnce(`${text}\n\nMore.`)
    expect(edited.firsts[0]).toContain('long-text-body')
  })

  it('copies a code block of an answer drawn again while it is formatted anew (its HTML as last drawn has no handlers of its own)', async () => {
    const text = longAnswer()
    const once = document.body.appendChild(document.createElement('div'))
    render(<Markdown text={text} streaming={false} messageId="copied-again" />, { container: once })
    await act(async () => undefined)
    cleanup()
    const writeText = vi.fn(() => Promise.resolve())
    const clipboard = Object.getOwnPropertyDescriptor(navigator, 'clipboard')
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const container = document.body.appendChild(document.createElement('div'))
    const root = createRoot(container)
    try {
      // Its first commit alone (the formatting is a deferred render that comes later): the HTML as last drawn.
      flushSync(() => root.render(<Markdown text={text} streaming={false} messageId="copied-again" />))
      const interim = container.querySelector('[data-formatting]')
      expect(interim?.querySelector('strong')?.textContent).toBe('the code')
      const copy = interim?.querySelector<HTMLElement>('[data-testid="copy-code"]')
      expect(copy).toBeTruthy()
      copy?.click()
      expect(writeText).toHaveBeenCalledWith('const x = 1')
    } finally {
      await act(async () => root.unmount())
      if (clipboard) Object.defineProperty(navigator, 'clipboard', clipboard)
      else Reflect.deleteProperty(navigator, 'clipboard')
    }
  })

  it('draws many answers at once (a fast scroll) formatted while they fit in one frame, the rest as written first', async () => {
    const answer = (i: number): string => `Answer **${i}**: ${'some words of the answer '.repeat(12)}`
    const answers = Array.from({ length: 12 }, (_, i) => answer(i))
    const container = document.body.appendChild(document.createElement('div'))
    const fitting = Math.floor(FORMAT_CHARS_PER_FRAME / (answer(0).length + ANSWER_FORMAT_COST_CHARS))
    expect(fitting).toBeGreaterThan(1)
    expect(await drawnAsWritten(container, answers)).toEqual(answers.slice(fitting))
    expect(container.querySelector('[data-formatting]')).toBeNull()
    expect(container.querySelectorAll('strong')).toHaveLength(12)
    // The next script's answers have a budget of their own.
    cleanup()
    const next = render(<Markdown text={answer(99)} streaming={false} />)
    expect(next.container.querySelector('strong')?.textContent).toBe('99')
    cleanup()
    // A chat list still opening (not shown yet) gets its rows formatted at once: it would wait for them hidden.
    const opening = document.body.appendChild(document.createElement('div'))
    opening.className = 'chat-list-frame'
    const inList = opening.appendChild(document.createElement('div'))
    expect(await drawnAsWritten(inList, answers)).toEqual([])
    expect(inList.querySelectorAll('strong')).toHaveLength(12)
    opening.remove()
  })

  it('draws a long answer that streamed in, and a short finished one, formatted from its first render', () => {
    const short = render(<Markdown text={'**Short** answer.'} streaming={false} />)
    expect(short.container.querySelector('[data-formatting]')).toBeNull()
    expect(short.container.querySelector('strong')).not.toBeNull()
    short.unmount()
    const streamed = render(<Markdown text={longAnswer()} streaming />)
    expect(streamed.container.querySelector('[data-formatting]')).toBeNull()
  })

  it('draws a fenced block as a code block, highlighted once its closing fence has arrived', () => {
    const { rerender } = render(<Markdown text={'Try this:\n\n```rust\nfn main() {}'} streaming={false} />)
    expect(screen.getByTestId('code-block').dataset['highlighted']).toBe('false')
    rerender(<Markdown text={'Try this:\n\n```rust\nfn main() {}\n```'} streaming={false} />)
    expect(screen.getByTestId('code-language').textContent).toBe('rust')
    expect(screen.getByTestId('code-block').dataset['highlighted']).toBe('true')
    expect(screen.getByTestId('code-block').querySelector('code')?.textContent).toBe('fn main() {}')
  })

  it('renders math with KaTeX, inline and as a display formula', () => {
    const { container } = render(<Markdown text={'Euler: $e^{i\\pi} + 1 = 0$\n\n$$\n\\int_0^1 x^2 \\, dx = \\frac{1}{3}\n$$'} streaming={false} />)
    expect(container.querySelectorAll('.katex')).toHaveLength(2)
    expect(container.querySelector('.katex-display .katex-mathml math')).not.toBeNull()
  })

  it('draws a GFM table inside a scroller', () => {
    const { container } = render(<Markdown text={table(3)} streaming={false} />)
    expect(container.querySelector('.table-scroll > table')).not.toBeNull()
    expect(container.querySelectorAll('tbody tr')).toHaveLength(3)
  })

  it('draws a table of many rows as one table that holds only some rows, and says how many it has', () => {
    const rows = 3_000
    const text = table(rows).replace('| 7 | 49 |', '| **7** | `49` |')
    const { container } = render(<Markdown text={text} streaming={false} />)
    const drawn = container.querySelectorAll('tbody tr')
    expect(container.querySelectorAll('table')).toHaveLength(1)
    expect(container.querySelector('table')?.getAttribute('aria-rowcount')).toBe(String(rows + 1))
    expect(drawn.length).toBeGreaterThan(0)
    expect(drawn.length).toBeLessThanOrEqual(TABLE_FIRST_ROWS_DRAWN)
    expect([...container.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['n', 'square'])
    expect(drawn[2]?.getAttribute('aria-rowindex')).toBe('4')
    expect(drawn[2]?.textContent).toBe('24')
    // Only a cell with markup is parsed: this one is bold and code, the rest are text.
    expect(drawn[7]?.querySelector('strong')?.textContent).toBe('7')
    expect(drawn[7]?.querySelector('code')?.textContent).toBe('49')
    expect(screen.getByTestId('long-table-count').textContent).toBe('3,000 rows')
    expect(container.querySelectorAll('strong')).toHaveLength(1)
  })

  it('keeps a long table\'s column alignment', () => {
    const text = ['| n | square |', '|---:|:---:|', ...Array.from({ length: TABLE_PARSED_MAX_ROWS + 1 }, (_, i) => `| ${i} | ${i * i} |`)].join('\n')
    const { container } = render(<Markdown text={text} streaming={false} />)
    const cells = container.querySelectorAll<HTMLElement>('tbody tr:first-child td')
    expect([cells[0]?.style.textAlign, cells[1]?.style.textAlign]).toEqual(['right', 'center'])
  })

  it('shows a megabyte on one line as capped plain text, without parsing it', () => {
    const { container } = render(<Markdown text={`**${'y'.repeat(1_000_000)}**`} streaming={false} />)
    // Not parsed: the asterisks are shown as written, nothing is bold.
    expect(container.querySelector('strong')).toBeNull()
    expect(screen.getByTestId('long-text').textContent).toContain(`**${'y'.repeat(100)}`)
    expect(screen.getByTestId('long-text').querySelector('p')?.textContent).toHaveLength(PARSE_MAX_CHARS + 1)
  })
})
