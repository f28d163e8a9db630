// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SessionFilter, type SessionFilterProps } from './SessionFilter'

afterEach(cleanup)

function box(props: Partial<SessionFilterProps> = {}) {
  const all = {
    query: 'soup',
    onQuery: vi.fn(),
    firstMatch: 'chat-1',
    onOpen: vi.fn(),
    onIntoRows: vi.fn(),
    focusFilter: 0,
    onFocused: vi.fn(),
    ...props
  }
  render(<SessionFilter {...all} />)
  return { ...all, input: screen.getByTestId('session-filter') as HTMLInputElement }
}

describe('SessionFilter', () => {
  it('Esc clears what is typed and goes no further (the window would stop an answer); with nothing typed it goes on', () => {
    const seen = vi.fn()
    window.addEventListener('keydown', seen)
    try {
      const filter = box()
      fireEvent.keyDown(filter.input, { key: 'Escape' })
      expect(filter.onQuery).toHaveBeenCalledWith('')
      expect(seen).not.toHaveBeenCalled()
      cleanup()
      const empty = box({ query: '' })
      fireEvent.keyDown(empty.input, { key: 'Escape' })
      expect(empty.onQuery).not.toHaveBeenCalled()
      expect(seen).toHaveBeenCalledTimes(1)
    } finally {
      window.removeEventListener('keydown', seen)
    }
  })

  it('Enter opens the first match and Down goes into the rows; with no match, neither', () => {
    const filter = box()
    fireEvent.keyDown(filter.input, { key: 'Enter' })
    expect(filter.onOpen).toHaveBeenCalledWith('chat-1')
    expect(fireEvent.keyDown(filter.input, { key: 'ArrowDown' })).toBe(false)
    expect(filter.onIntoRows).toHaveBeenCalledTimes(1)
    cleanup()
    const none = box({ firstMatch: undefined })
    fireEvent.keyDown(none.input, { key: 'Enter' })
    expect(fireEvent.keyDown(none.input, { key: 'ArrowDown' })).toBe(true)
    expect(none.onOpen).not.toHaveBeenCalled()
    expect(none.onIntoRows).not.toHaveBeenCalled()
  })

  it('asked for (Ctrl+Shift+F), it takes the focus with what it holds selected, and says it did', () => {
    const filter = box({ focusFilter: 1 })
    expect(document.activeElement).toBe(filter.input)
    expect([filter.input.selectionStart, filter.input.selectionEnd]).toEqual([0, 4])
    expect(filter.onFocused).toHaveBeenCalledTimes(1)
  })
})
