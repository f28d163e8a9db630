// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyProvider } from '../../parley-context'
import { testServices } from '../../testing/test-services'
import { DeleteMessage } from './DeleteMessage'

afterEach(cleanup)

function renderDelete(): ReturnType<typeof testServices> {
  const services = testServices()
  render(
    <ParleyProvider services={services}>
      <textarea data-testid="composer-input" aria-label="Prompt" />
      <DeleteMessage sessionId="chat" messageId="m2" />
    </ParleyProvider>
  )
  fireEvent.click(screen.getByTestId('action-delete'))
  return services
}

describe('deleting a message', () => {
  it('Delete, confirmed with the keyboard, takes the message away and leaves the focus in the composer', () => {
    const services = renderDelete()
    const confirm = screen.getByTestId('action-delete-confirm')
    expect(document.activeElement).toBe(confirm)
    fireEvent.click(confirm)
    expect(services.deletes.getSnapshot().has('m2')).toBe(true)
    expect(document.activeElement).toBe(screen.getByTestId('composer-input'))
    services.deletes.undo('m2')
  })

  it('Keep puts the question away, and the focus back on the delete button', () => {
    renderDelete()
    screen.getByTestId('action-delete-cancel').focus()
    fireEvent.click(screen.getByTestId('action-delete-cancel'))
    expect(document.activeElement).toBe(screen.getByTestId('action-delete'))
  })

  it('Esc keeps the message, puts the question away with the focus back on the delete button, and does not reach the window (where it stops an answer)', () => {
    const services = renderDelete()
    let reached = 0
    const onWindow = (): void => {
      reached += 1
    }
    window.addEventListener('keydown', onWindow)
    try {
      fireEvent.keyDown(screen.getByTestId('action-delete-confirm'), { key: 'Escape' })
    } finally {
      window.removeEventListener('keydown', onWindow)
    }
    expect(reached).toBe(0)
    expect(screen.queryByTestId('action-delete-confirm')).toBeNull()
    expect(document.activeElement).toBe(screen.getByTestId('action-delete'))
    expect(services.deletes.getSnapshot().has('m2')).toBe(false)
  })
})
