// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useState, type JSX } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { limits } from '../../../../shared'
import { overLimitText } from '../../composer/long-prompt'
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

/** The composer, and a prompt whose editor closes as it is saved or cancelled (as its bubble's does). */
function PromptWithEditor(): JSX.Element {
  const [editing, setEditing] = useState(true)
  return (
    <>
      <textarea data-testid="composer-input" aria-label="Prompt" />
      {editing ? <EditPrompt text="two" attachments={[]} onSave={() => setEditing(false)} onCancel={() => setEditing(false)} /> : null}
    </>
  )
}

describe('EditPrompt leaving', () => {
  const leaves: [string, (box: HTMLElement) => void][] = [
    ['Enter (saved)', (box) => fireEvent.keyDown(box, { key: 'Enter' })],
    ['Esc (cancelled)', (box) => fireEvent.keyDown(box, { key: 'Escape' })],
    ['Save', () => fireEvent.click(screen.getByTestId('edit-save'))],
    ['Cancel', () => fireEvent.click(screen.getByTestId('edit-cancel'))]
  ]
  it.each(leaves)('gives the focus back to the composer when left with %s, so the next typing is not lost', (_, leave) => {
    render(<PromptWithEditor />)
    const box = screen.getByTestId('edit-prompt-input')
    expect(document.activeElement).toBe(box)
    leave(box)
    expect(screen.queryByTestId('edit-prompt')).toBeNull()
    expect(document.activeElement).toBe(screen.getByTestId('composer-input'))
  })
})

describe('EditPrompt: a text too long to go', () => {
  it('says so under the box as it is typed, in the composer’s words, and can’t be saved until it is shorter', () => {
    const onSave = vi.fn()
    render(<EditPrompt text="two" attachments={[]} onSave={onSave} onCancel={() => undefined} />)
    const box = screen.getByTestId('edit-prompt-input')
    const save = screen.getByTestId('edit-save')
    expect(screen.queryByTestId('edit-long-prompt')).toBeNull()

    const long = 'x'.repeat(limits.promptChars + 1)
    fireEvent.change(box, { target: { value: long } })
    const notice = screen.getByTestId('edit-long-prompt')
    expect(notice.textContent).toBe(`${overLimitText(long) ?? ''} Shorten it to save.`)
    expect(notice.getAttribute('role')).toBe('alert')
    expect(box.getAttribute('aria-describedby')).toBe(notice.id)
    expect(save).toHaveProperty('disabled', true)
    fireEvent.keyDown(box, { key: 'Enter' })
    fireEvent.click(save)
    expect(onSave).not.toHaveBeenCalled()
    expect(screen.getByTestId('edit-prompt')).toBeTruthy()

    fireEvent.change(box, { target: { value: 'x'.repeat(limits.promptChars) } })
    expect(screen.queryByTestId('edit-long-prompt')).toBeNull()
    expect(save).toHaveProperty('disabled', false)
    fireEvent.keyDown(box, { key: 'Enter' })
    expect(onSave).toHaveBeenCalledTimes(1)
  })
})
