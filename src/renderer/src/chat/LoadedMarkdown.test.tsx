// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LoadedMarkdown } from './LoadedMarkdown'
import { markdownCode } from './markdown-code'

afterEach(cleanup)

describe('LoadedMarkdown', () => {
  it('asks for the markdown stack when drawn, and draws the answer formatted, code highlighted, once it is loaded', async () => {
    expect(markdownCode.getSnapshot().kind).toBe('waiting')
    render(<LoadedMarkdown messageId="m1" text={'Some **bold** text.\n\n```ts\nconst x = 1\n```'} streaming={false} />)
    // Until then (only if it can't be loaded, as ChatView waits for it) the text is there, unformatted.
    expect(screen.getByTestId('markdown-unformatted').textContent).toContain('Some **bold** text.')
    await act(() => markdownCode.load())
    expect(screen.queryByTestId('markdown-unformatted')).toBeNull()
    expect(screen.getByText('bold').tagName).toBe('STRONG')
    expect(screen.getByTestId('code-block').dataset['highlighted']).toBe('true')
  })

  it("takes the stack's coming as a transition: an update the window makes meanwhile is drawn before what it lets draw", async () => {
    vi.resetModules()
    const fresh = await import('./LoadedMarkdown')
    const stack = await import('./markdown-code')
    const drawn: string[] = []
    let bump = (): void => undefined
    function Urgent(): null {
      const [count, setCount] = useState(0)
      bump = () => setCount((n) => n + 1)
      drawn.push(`urgent ${count}`)
      return null
    }
    function Formatted(): null {
      drawn.push(`markdown ${fresh.useMarkdownCode().kind}`)
      return null
    }
    // The formatted part first in the window: drawn in one pass with the other, it would be drawn first.
    render(
      <>
        <Formatted />
        <Urgent />
      </>
    )
    drawn.length = 0
    await act(async () => {
      await stack.markdownCode.load()
      bump()
    })
    // A chat's first rows, mounted as the stack comes, render in slices behind what the window must show at once.
    expect(drawn).toContain('markdown loaded')
    expect(drawn.indexOf('urgent 1')).toBeLessThan(drawn.indexOf('markdown loaded'))
    expect(drawn.indexOf('urgent 1')).toBeGreaterThanOrEqual(0)
  })

  it("draws an answer of the screen kept from the last start from its HTML until the stack is in, and not once its text changed", async () => {
    const text = 'Kept **bold** answer.'
    vi.resetModules()
    const { fingerprintOf } = await import('./first-screen')
    localStorage.setItem(
      'parley.firstScreen',
      JSON.stringify({ sessionId: 's1', leafId: 'm1', answers: [{ id: 'm1', fingerprint: fingerprintOf(text), html: '<p>Kept <strong>bold</strong> answer.</p>' }] })
    )
    try {
      // A window started anew: its modules read the kept screen, its markdown stack is not in yet.
      const fresh = await import('./LoadedMarkdown')
      const stack = await import('./markdown-code')
      render(<fresh.LoadedMarkdown messageId="m1" text={text} streaming={false} />)
      expect(screen.getByTestId('markdown-kept').querySelector('strong')?.textContent).toBe('bold')
      cleanup()
      render(<fresh.LoadedMarkdown messageId="m1" text={`${text} More.`} streaming={false} />)
      expect(screen.queryByTestId('markdown-kept')).toBeNull()
      expect(screen.getByTestId('markdown-unformatted').textContent).toContain('More.')
      cleanup()
      render(<fresh.LoadedMarkdown messageId="m1" text={text} streaming={false} />)
      await act(() => stack.markdownCode.load())
      // The stack draws it the same, and from then on.
      expect(screen.queryByTestId('markdown-kept')).toBeNull()
      expect(screen.getByText('bold').tagName).toBe('STRONG')
    } finally {
      localStorage.removeItem('parley.firstScreen')
    }
  })

  it('a kept answer’s Copy button copies its code before the stack is in', async () => {
    const code = 'const kept = 1'
    const text = `Kept code:\n\n\`\`\`ts\n${code}\n\`\`\``
    vi.resetModules()
    const { fingerprintOf } = await import('./first-screen')
    const { CodeBlock } = await import('./markdown/CodeBlock')
    const { renderToStaticMarkup } = await import('react-dom/server')
    const { createElement } = await import('react')
    const html = `<p>Kept code:</p>${renderToStaticMarkup(createElement(CodeBlock, { code, language: 'ts', open: false }))}`
    localStorage.setItem('parley.firstScreen', JSON.stringify({ sessionId: 's1', leafId: 'm3', answers: [{ id: 'm3', fingerprint: fingerprintOf(text), html }] }))
    const writeText = vi.fn(() => Promise.resolve())
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    try {
      const fresh = await import('./LoadedMarkdown')
      render(<fresh.LoadedMarkdown messageId="m3" text={text} streaming={false} />)
      const kept = screen.getByTestId('markdown-kept')
      kept.querySelector<HTMLElement>('[data-testid="copy-code"]')?.click()
      expect(writeText).toHaveBeenCalledWith(code)
      await vi.waitFor(() => expect(kept.querySelector('[data-testid="copy-code"]')?.textContent).toBe('Copied'))
    } finally {
      vi.unstubAllGlobals()
      localStorage.removeItem('parley.firstScreen')
    }
  })

  it('an answer the stack formats in the background shows its kept HTML meanwhile, not its text as written', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `Line **${i}** of a long answer.`).join('\n\n')
    vi.resetModules()
    const { fingerprintOf } = await import('./first-screen')
    const { BACKGROUND_FORMAT_CHARS } = await import('./markdown/limits')
    expect(text.length).toBeGreaterThan(BACKGROUND_FORMAT_CHARS)
    localStorage.setItem('parley.firstScreen', JSON.stringify({ sessionId: 's1', leafId: 'm2', answers: [{ id: 'm2', fingerprint: fingerprintOf(text), html: '<p>as kept</p>' }] }))
    try {
      const { Markdown } = await import('./Markdown')
      const meanwhile: string[] = []
      const container = document.body.appendChild(document.createElement('div'))
      const watch = new MutationObserver((changes) => {
        for (const change of changes)
          for (const node of change.addedNodes) if (node instanceof HTMLElement && node.hasAttribute('data-formatting')) meanwhile.push(node.innerHTML)
      })
      watch.observe(container, { childList: true, subtree: true })
      render(<Markdown messageId="m2" text={text} streaming={false} />, { container })
      await act(async () => undefined)
      watch.disconnect()
      expect(meanwhile).toEqual(['<p>as kept</p>'])
      expect(container.querySelector('[data-formatting]')).toBeNull()
      expect(container.querySelector('strong')?.textContent).toBe('0')
    } finally {
      localStorage.removeItem('parley.firstScreen')
    }
  })
})
