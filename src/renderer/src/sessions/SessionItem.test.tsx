// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SessionItem } from './SessionItem'

afterEach(cleanup)

function renderRow() {
  const onRename = vi.fn()
  render(
    <SessionItem
      session={{ id: 'chat-1', title: 'Soup', createdAt: 0, updatedAt: 0, seq: 1 }}
      selected={false}
      busy={false}
      unseen={false}
      onSelect={() => undefined}
      onRename={onRename}
      onDelete={() => undefined}
    />
  )
  fireEvent.click(screen.getByTestId('rename-session'))
  const field = screen.getByRole('textbox', { name: 'Chat title' })
  return { onRename, field, row: () => screen.getByRole('button', { name: 'Soup' }) }
}

describe('renaming a chat in the sidebar', () => {
  it('Enter renames it, and the focus goes back to the chat’s row', () => {
    const { onRename, field, row } = renderRow()
    expect(document.activeElement).toBe(field)
    fireEvent.change(field, { target: { value: 'Tomato soup' } })
    fireEvent.keyDown(field, { key: 'Enter' })
    expect(onRename).toHaveBeenCalledWith('chat-1', 'Tomato soup')
    expect(document.activeElement).toBe(row())
  })

  it('Esc leaves the title as it was, and the focus goes back to the chat’s row', () => {
    const { onRename, field, row } = renderRow()
    fireEvent.change(field, { target: { value: 'Not this' } })
    fireEvent.keyDown(field, { key: 'Escape' })
    expect(onRename).not.toHaveBeenCalled()
    expect(document.activeElement).toBe(row())
  })

  it('a blank title is refused with a hint and the field stays open; a click elsewhere then keeps the old title', () => {
    const { onRename, field, row } = renderRow()
    fireEvent.change(field, { target: { value: '  ' } })
    fireEvent.keyDown(field, { key: 'Enter' })
    expect(screen.getByRole('alert')).toHaveProperty('textContent', 'A chat needs a title: type one, or press Esc to keep the old one.')
    expect(screen.getByRole('textbox', { name: 'Chat title' })).toBe(field)
    fireEvent.blur(field)
    expect(onRename).not.toHaveBeenCalled()
    expect(row()).toBeTruthy()
  })
})
