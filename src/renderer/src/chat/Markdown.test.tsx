// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { PARSE_MAX_CHARS, TABLE_ROWS_PER_PART } from './markdown/limits'
import { Markdown } from './Markdown'

afterEach(cleanup)

const table = (rows: number): string =>
  ['| n | square |', '|---|---|', ...Array.from({ length: rows }, (_, i) => `| ${i} | ${i * i} |`)].join('\n')

describe('Markdown', () => {
  it('draws a fenced block as a code block, highlighted once its closing fence has arrived', () => {
    const { rerender } = render(<Markdown text={'Try this:\n\n```rust\nfn main() {}'} />)
    expect(screen.getByTestId('code-block').dataset['highlighted']).toBe('false')
    rerender(<Markdown text={'Try this:\n\n```rust\nfn main() {}\n```'} />)
    expect(screen.getByTestId('code-language').textContent).toBe('rust')
    expect(screen.getByTestId('code-block').dataset['highlighted']).toBe('true')
    expect(screen.getByTestId('code-block').querySelector('code')?.textContent).toBe('fn main() {}')
  })

  it('renders math with KaTeX, inline and as a display formula', () => {
    const { container } = render(<Markdown text={'Euler: $e^{i\\pi} + 1 = 0$\n\n$$\n\\int_0^1 x^2 \\, dx = \\frac{1}{3}\n$$'} />)
    expect(container.querySelectorAll('.katex')).toHaveLength(2)
    expect(container.querySelector('.katex-display .katex-mathml math')).not.toBeNull()
  })

  it('draws a GFM table inside a scroller', () => {
    const { container } = render(<Markdown text={table(3)} />)
    expect(container.querySelector('.table-scroll > table')).not.toBeNull()
    expect(container.querySelectorAll('tbody tr')).toHaveLength(3)
  })

  it('draws a table of many rows a part at a time, and every row after Show all rows', async () => {
    const rows = TABLE_ROWS_PER_PART * 3 + 1
    const { container } = render(<Markdown text={table(rows)} />)
    expect(container.querySelectorAll('tbody tr')).toHaveLength(TABLE_ROWS_PER_PART)
    fireEvent.click(screen.getByText(`Show all ${rows.toLocaleString()} rows`))
    await screen.findByText(String((rows - 1) ** 2), {}, { timeout: 10_000 })
    expect(container.querySelectorAll('tbody tr')).toHaveLength(rows)
    expect(container.querySelectorAll('thead')).toHaveLength(4)
  })

  it('shows a megabyte on one line as capped plain text, without parsing it', () => {
    const started = performance.now()
    render(<Markdown text={`**${'y'.repeat(1_000_000)}**`} />)
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(screen.getByTestId('long-text').textContent).toContain(`**${'y'.repeat(100)}`)
    expect(screen.getByTestId('long-text').querySelector('p')?.textContent).toHaveLength(PARSE_MAX_CHARS + 1)
  })
})
