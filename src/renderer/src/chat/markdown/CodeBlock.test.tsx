// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { CodeBlock } from './CodeBlock'
import { CODE_SHOWN_LINES, HIGHLIGHT_MAX_CHARS } from './limits'

afterEach(cleanup)

describe('CodeBlock', () => {
  it('shows the language and the highlighted code', () => {
    render(<CodeBlock code={'def greet(name):\n    return f"hi {name}"'} language="python" open={false} />)
    expect(screen.getByTestId('code-language').textContent).toBe('python')
    expect(screen.getByTestId('code-block').dataset['highlighted']).toBe('true')
    expect(screen.getByText('def').className).toBe('hljs-keyword')
  })

  it("shows closed code plain while the page's plainCode test seam is set (the benchmark's baseline), highlighted again after", () => {
    Reflect.set(globalThis, '__parleyTestHooks', { plainCode: true })
    try {
      render(<CodeBlock code="const a = 1" language="ts" open={false} />)
      expect(screen.getByTestId('code-block').dataset['highlighted']).toBe('false')
      expect(screen.getByTestId('code-block').querySelector('code')?.textContent).toBe('const a = 1')
    } finally {
      Reflect.deleteProperty(globalThis, '__parleyTestHooks')
    }
    cleanup()
    render(<CodeBlock code="const a = 1" language="ts" open={false} />)
    expect(screen.getByTestId('code-block').dataset['highlighted']).toBe('true')
  })

  it('a closed block is laid out only near the view, its height meanwhile its shown lines (styles.css, code-closed); an open one always', () => {
    render(<CodeBlock code={'a\nb\nc'} language="ts" open={false} />)
    const pre = screen.getByTestId('code-block').querySelector('pre')
    expect(pre?.className).toBe('code-closed')
    expect(pre?.style.getPropertyValue('--code-lines')).toBe('3')
    cleanup()
    const long = Array.from({ length: CODE_SHOWN_LINES + 40 }, (_, i) => `line ${i}`).join('\n')
    render(<CodeBlock code={long} language="ts" open={false} />)
    expect(screen.getByTestId('code-block').querySelector('pre')?.style.getPropertyValue('--code-lines')).toBe(String(CODE_SHOWN_LINES))
    cleanup()
    render(<CodeBlock code="const a = 1" language="ts" open />)
    expect(screen.getByTestId('code-block').querySelector('pre')?.className).toBe('')
  })

  it('puts the raw code on the clipboard and says Copied', async () => {
    const code = 'const a = "<b>"\n\nconsole.log(a)'
    render(<CodeBlock code={code} language="ts" open={false} />)
    fireEvent.click(screen.getByTestId('copy-code'))
    expect(await screen.findByText('Copied')).toBeTruthy()
    expect(await navigator.clipboard.readText()).toBe(code)
  })

  it('keeps a block that is still streaming plain, without a copy button', () => {
    render(<CodeBlock code="const a = 1" language="ts" open />)
    expect(screen.getByTestId('code-block').dataset['highlighted']).toBe('false')
    expect(screen.queryByTestId('copy-code')).toBeNull()
  })

  it('shows a huge block capped (its start highlighted), then all of it, plain, on Show all', () => {
    const code = Array.from({ length: 5_000 }, (_, i) => `let line${i} = ${i}`).join('\n')
    expect(code.length).toBeGreaterThan(HIGHLIGHT_MAX_CHARS)
    render(<CodeBlock code={code} language="ts" open={false} />)
    const block = (): HTMLElement => screen.getByTestId('code-block')
    const shown = (): string => block().querySelector('code')?.textContent ?? ''
    expect(shown().split('\n')).toHaveLength(CODE_SHOWN_LINES)
    expect(block().dataset['highlighted']).toBe('true')
    fireEvent.click(screen.getByText('Show all 5,000 lines'))
    expect(shown()).toBe(code)
    expect(block().dataset['highlighted']).toBe('false')
  })
})
