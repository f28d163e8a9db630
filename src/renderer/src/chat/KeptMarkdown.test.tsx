// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { KeptMarkdown } from './KeptMarkdown'

afterEach(cleanup)

describe('KeptMarkdown', () => {
  it('puts the HTML back as it was, marked as kept from the last start or as being formatted anew', () => {
    const html = '<p>An <strong>answer</strong></p>'
    const { container, rerender } = render(<KeptMarkdown html={html} while="kept" />)
    const kept = container.querySelector('.markdown')
    expect(kept?.innerHTML).toBe(html)
    expect(kept?.getAttribute('data-testid')).toBe('markdown-kept')
    expect(kept?.hasAttribute('data-formatting')).toBe(false)
    rerender(<KeptMarkdown html={html} while="formatting" />)
    const formatting = container.querySelector('.markdown')
    expect(formatting?.innerHTML).toBe(html)
    expect(formatting?.getAttribute('data-testid')).toBe('markdown-formatting')
    // The bench and the e2e tests wait for [data-formatting] to be gone before they measure.
    expect(formatting?.hasAttribute('data-formatting')).toBe(true)
  })
})
