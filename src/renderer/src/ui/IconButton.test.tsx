// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { IconButton } from './IconButton'

afterEach(cleanup)

describe('IconButton', () => {
  it('is named by its label, shows it as a tooltip, and draws its icon hidden from screen readers', () => {
    render(<IconButton icon="trash" label="Delete this chat" testId="delete" onClick={() => undefined} />)
    const button = screen.getByRole('button', { name: 'Delete this chat' })
    expect(button.dataset['testid']).toBe('delete')
    expect(button.getAttribute('title')).toBe('Delete this chat')
    expect(button.getAttribute('type')).toBe('button')
    const svg = button.querySelector('svg')
    expect(svg?.getAttribute('aria-hidden')).toBe('true')
    expect(svg?.dataset['icon']).toBe('trash')
    // Nothing but the drawing: no text glyph that a missing font would turn into a box.
    expect(button.textContent).toBe('')
  })

  it('runs its action on a click, and not while disabled', () => {
    const onClick = vi.fn()
    const { rerender } = render(<IconButton icon="copy" label="Copy" onClick={onClick} />)
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }))
    expect(onClick).toHaveBeenCalledTimes(1)
    rerender(<IconButton icon="copy" label="Copy" disabled onClick={onClick} />)
    const button = screen.getByRole('button', { name: 'Copy' })
    expect(button.hasAttribute('disabled')).toBe(true)
    fireEvent.click(button)
    expect(onClick).toHaveBeenCalledTimes(1)
  })

  it('says whether it is pressed or what it shows is expanded only when told', () => {
    const { rerender } = render(<IconButton icon="menu" label="Chats" onClick={() => undefined} />)
    const button = (): HTMLElement => screen.getByRole('button', { name: 'Chats' })
    expect(button().hasAttribute('aria-pressed')).toBe(false)
    expect(button().hasAttribute('aria-expanded')).toBe(false)
    rerender(<IconButton icon="menu" label="Chats" expanded={false} pressed onClick={() => undefined} />)
    expect(button().getAttribute('aria-expanded')).toBe('false')
    expect(button().getAttribute('aria-pressed')).toBe('true')
  })

  it('draws a small icon when small, and keeps the class that places it', () => {
    render(<IconButton icon="close" label="Dismiss" size="small" className="chip-remove" onClick={() => undefined} />)
    const button = screen.getByRole('button', { name: 'Dismiss' })
    expect(button.className).toBe('icon-button small chip-remove')
    expect(button.querySelector('svg')?.getAttribute('width')).toBe('12')
  })
})
