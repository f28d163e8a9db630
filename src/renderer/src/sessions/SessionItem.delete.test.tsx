// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SessionItem } from './SessionItem'

afterEach(cleanup)

/** A chat's row, its delete confirm opened from the keyboard (the trash button focused, then pressed). */
function renderConfirm() {
  const onDelete = vi.fn()
  render(
    <SessionItem
      session={{ id: 'chat-1', title: 'Soup', createdAt: 0, updatedAt: 0, seq: 1 }}
      selected={false}
      busy={false}
      unseen={false}
      onSelect={() => undefined}
      onRename={() => undefined}
      onDelete={onDelete}
    />
  )
  const trash = screen.getByRole('button', { name: 'Delete Soup' })
  trash.focus()
  fireEvent.click(trash)
  return { onDelete, trash: () => screen.getByRole('button', { name: 'Delete Soup' }) }
}

describe('deleting a chat from its row in the sidebar', () => {
  it('the confirm takes the focus on its Delete button, inside a group named for the chat', () => {
    renderConfirm()
    const confirm = screen.getByRole('group', { name: 'Delete Soup?' })
    expect(document.activeElement).toBe(screen.getByTestId('confirm-delete'))
    expect(confirm.contains(document.activeElement)).toBe(true)
  })

  it('Cancel gives the focus back to the delete button that opened the confirm', () => {
    const { onDelete, trash } = renderConfirm()
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('group', { name: 'Delete Soup?' })).toBeNull()
    expect(document.activeElement).toBe(trash())
    expect(onDelete).not.toHaveBeenCalled()
  })

  it('Esc cancels it, gives the focus back to the delete button, and does not reach the window (where it stops an answer)', () => {
    const { onDelete, trash } = renderConfirm()
    const heard = vi.fn()
    window.addEventListener('keydown', heard)
    try {
      fireEvent.keyDown(screen.getByTestId('confirm-delete'), { key: 'Escape' })
    } finally {
      window.removeEventListener('keydown', heard)
    }
    expect(screen.queryByRole('group', { name: 'Delete Soup?' })).toBeNull()
    expect(document.activeElement).toBe(trash())
    expect(heard).not.toHaveBeenCalled()
    expect(onDelete).not.toHaveBeenCalled()
  })
})
