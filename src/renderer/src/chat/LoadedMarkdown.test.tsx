// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { LoadedMarkdown } from './LoadedMarkdown'
import { markdownCode } from './markdown-code'

afterEach(cleanup)

describe('LoadedMarkdown', () => {
  it('asks for the markdown stack when drawn, and draws the answer formatted, code highlighted, once it is loaded', async () => {
    expect(markdownCode.getSnapshot().kind).toBe('waiting')
    render(<LoadedMarkdown text={'Some **bold** text.\n\n```ts\nconst x = 1\n```'} streaming={false} />)
    // Until then (only if it can't be loaded, as ChatView waits for it) the text is there, unformatted.
    expect(screen.getByTestId('markdown-unformatted').textContent).toContain('Some **bold** text.')
    await act(() => markdownCode.load())
    expect(screen.queryByTestId('markdown-unformatted')).toBeNull()
    expect(screen.getByText('bold').tagName).toBe('STRONG')
    expect(screen.getByTestId('code-block').dataset['highlighted']).toBe('true')
  })
})
