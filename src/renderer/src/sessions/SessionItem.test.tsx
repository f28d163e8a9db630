// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SessionItem } from './SessionItem'

afterEach(cleanup)

/** A chat's row in the sidebar, "Soup". */
function renderItem() {
  const onRename = vi.fn()
  const onDelete = vi.fn()
  render(
    <SessionItem
      session={{ id: 'chat-1', title: 'Soup', createdAt: 0, updatedAt: 0, seq: 1 }}
      selected={false}
      busy={false}
      unseen={false}
      onSelect={() => undefined}
      onRename={onRename}
      onDelete={onDelete}
    />
  )
  return { onRename, onDelete }
}

/** The row with its title field open (its pencil pressed). */
function renderRow() {
  const { onRename } = renderItem()
  fireEvent.click(screen.getByTestId('rename-session'))
  const field = screen.getByRole('textbox', { name: 'Chat title' })
  return { onRename, field, row: () => screen.getByRole('button', { name: 'Soup' }) }
}

/** The row with its delete confirm opened from the keyboard (the trash button focused, then pressed). */
function renderConfirm() {
  const { onDelete } = renderItem()
  const trash = screen.getByRole('button', { name: 'Delete Soup' })
  trash.focus()
  fireEvent.click(trash)
  return { onDelete, trash: () => screen.getByRole('button', { name: 'Delete Soup' }) }
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
