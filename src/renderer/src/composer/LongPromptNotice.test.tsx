// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LongPromptNotice } from './LongPromptNotice'

afterEach(cleanup)

describe('LongPromptNotice', () => {
  it('says what is wrong as an alert, with its id for the box to point at, and its button attaches the text', () => {
    const onAttach = vi.fn()
    render(<LongPromptNotice id="n1" text="Too long." testId="notice" buttonTestId="as-file" onAttach={onAttach} />)
    const notice = screen.getByTestId('notice')
    expect(notice.getAttribute('role')).toBe('alert')
    expect(notice.id).toBe('n1')
    expect(notice.querySelector('p')?.textContent).toBe('Too long.')
    fireEvent.click(screen.getByTestId('as-file'))
    expect(onAttach).toHaveBeenCalledTimes(1)
  })
})
