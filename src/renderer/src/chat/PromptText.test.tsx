// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { PROMPT_SHOWN_LINES } from './markdown/limits'
import { PromptText } from './PromptText'

afterEach(cleanup)

describe('PromptText', () => {
  it('shows a short prompt whole, with no toggle', () => {
    render(<PromptText text={'two\nlines'} />)
    expect(screen.getByTestId('message-text').textContent).toBe('two\nlines')
    expect(screen.queryByTestId('prompt-toggle')).toBeNull()
  })

  it('collapses a long pasted prompt to its first lines, with Show more and Show less', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n')
    render(<PromptText text={text} />)
    const shown = (): string => screen.getByTestId('message-text').textContent ?? ''
    expect(shown().split('\n')).toHaveLength(PROMPT_SHOWN_LINES)
    fireEvent.click(screen.getByText('Show more'))
    expect(shown()).toBe(text)
    fireEvent.click(screen.getByText('Show less'))
    expect(shown()).not.toContain('line 99')
  })

  it('collapses one very long line too', () => {
    render(<PromptText text={'z'.repeat(1_000_000)} />)
    expect((screen.getByTestId('message-text').textContent ?? '').length).toBeLessThan(2_100)
  })
})
