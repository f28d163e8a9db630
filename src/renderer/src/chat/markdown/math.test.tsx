// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react'
import katex from 'katex'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Markdown } from '../Markdown'
import { TABLE_PARSED_MAX_ROWS } from './limits'
import { mathHtml } from './math'

afterEach(cleanup)

describe('math', () => {
  it('typesets inline formulas in their line and display formulas and ```math fences on their own', () => {
    const { container } = render(<Markdown text={'Euler: $e^{i\\pi} + 1 = 0$ holds.\n\n$$\nx^2\n$$\n\n```math\ny_1\n```'} streaming={false} />)
    const inline = container.querySelector('p .math-inline .katex')
    expect(inline?.querySelector('annotation')?.textContent).toBe('e^{i\\pi} + 1 = 0')
    const display = [...container.querySelectorAll('.math-display .katex-display annotation')].map((a) => a.textContent)
    expect(display).toEqual(['x^2', 'y_1'])
    expect(container.querySelector('p')?.textContent).toContain('holds.')
  })

  it("typesets formulas in a table's cells, a long table's too", () => {
    const rows = (n: number): string => ['| n | f |', '|---|---|', ...Array.from({ length: n }, (_, i) => `| ${i} | $x^{${i}}$ |`)].join('\n')
    for (const n of [3, TABLE_PARSED_MAX_ROWS + 1]) {
      const { container } = render(<Markdown text={rows(n)} streaming={false} />)
      expect(container.querySelector('tbody tr:first-child td:last-child .katex annotation')?.textContent).toBe('x^{0}')
      cleanup()
    }
  })

  it('leaves inline code as code', () => {
    const { container } = render(<Markdown text={'Run `npm test` and $a$.'} streaming={false} />)
    expect(container.querySelector('p > code')?.textContent).toBe('npm test')
    expect(container.querySelectorAll('.katex')).toHaveLength(1)
  })

  it("shows what KaTeX can't parse in red, as KaTeX does, and never lets markup or links through", () => {
    const { container } = render(<Markdown text={'Bad: $\\frac{1}{$ and $\\href{javascript:alert(1)}{x}$ and $<img src=x onerror=alert(1)>$'} streaming={false} />)
    expect(container.querySelector('.katex-error')).not.toBeNull()
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('a')).toBeNull()
    expect(container.querySelector('script')).toBeNull()
  })

  it('typesets a formula once and reuses it (a streaming block is drawn again each frame)', () => {
    const typeset = vi.spyOn(katex, 'renderToString')
    try {
      const first = mathHtml('\\sqrt{3}', 'inline')
      expect(mathHtml('\\sqrt{3}', 'inline')).toBe(first)
      expect(typeset).toHaveBeenCalledTimes(1)
      expect(mathHtml('\\sqrt{3}', 'display')).not.toBe(first)
      expect(typeset).toHaveBeenCalledTimes(2)
    } finally {
      typeset.mockRestore()
    }
  })
})
