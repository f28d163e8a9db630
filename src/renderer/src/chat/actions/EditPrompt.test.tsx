// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EditPrompt } from './EditPrompt'

afterEach(cleanup)

describe('EditPrompt', () => {
  it('takes the focus from the composer as it opens, with the prompt in it', () => {
    const composer = document.createElement('textarea')
    document.body.append(composer)
    composer.focus()
    render(<EditPrompt text="two" attachments={[]} onSave={() => undefined} onCancel={() => undefined} />)
    const box = screen.getByTestId('edit-prompt-input')
    expect(box).toHaveProperty('value', 'two')
    expect(document.activeElement).toBe(box)
    composer.remove()
  })

  it('saves the new text on Enter, adds a line on Shift+Enter, and leaves on Esc', () => {
    const onSave = vi.fn()
    const onCancel = vi.fn()
    render(<EditPrompt text="two" attachments={[]} onSave={onSave} onCancel={onCancel} />)
    const box = screen.getByTestId('edit-prompt-input')
    fireEvent.change(box, { target: { value: 'two, again' } })
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true })
    expect(onSave).not.toHaveBeenCalled()
    fireEvent.keyDown(box, { key: 'Enter' })
    expect(onSave).toHaveBeenCalledWith('two, again', [])
    fireEvent.keyDown(box, { key: 'Escape' })
    expect(onCancel).toHaveBeenCalledTimes(1)
  })
})
