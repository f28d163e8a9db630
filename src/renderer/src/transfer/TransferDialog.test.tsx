// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TransferDialog } from './TransferDialog'

afterEach(cleanup)

const refused = { kind: 'refused', text: 'notes.json can’t be imported, and nothing of it was:', problems: ['The file is not JSON.'] } as const

describe('the transfer dialog', () => {
  it('is a modal that keeps the focus: Tab stays on Close, Esc from anywhere closes it, the focus goes back', () => {
    const onClose = vi.fn()
    const opener = document.createElement('button')
    document.body.append(opener)
    opener.focus()
    const view = render(<TransferDialog state={refused} onClose={onClose} />)
    const dialog = screen.getByRole('dialog')
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    const close = screen.getByTestId('transfer-close')
    expect(document.activeElement).toBe(close)
    fireEvent.keyDown(close, { key: 'Tab' })
    expect(document.activeElement).toBe(close)
    // Esc with the focus on the page behind closes it too.
    opener.focus()
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(onClose).toHaveBeenCalledTimes(1)
    view.unmount()
    expect(document.activeElement).toBe(opener)
    opener.remove()
  })

  it('while work is under way it has no Close, and Esc does not close it', () => {
    const onClose = vi.fn()
    render(<TransferDialog state={{ kind: 'working', text: 'Reading notes.json…' }} onClose={onClose} />)
    expect(screen.queryByTestId('transfer-close')).toBeNull()
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(onClose).not.toHaveBeenCalled()
  })
})
