// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CommandHandlers } from '../commands/handlers'
import { CommandsProvider } from '../commands/use-commands'
import { AttachPicker } from './AttachPicker'

afterEach(cleanup)

function picker() {
  const handlers = new CommandHandlers()
  const onFiles = vi.fn()
  render(
    <CommandsProvider handlers={handlers}>
      <AttachPicker onFiles={onFiles} />
    </CommandsProvider>
  )
  const input = screen.getByTestId('attach-input') as HTMLInputElement
  const opened = vi.fn()
  input.addEventListener('click', opened)
  return { handlers, onFiles, input, opened }
}

describe('AttachPicker', () => {
  it('the paperclip and the Attach files command (Ctrl+U) both open the file picker, named with its shortcut', () => {
    const { handlers, opened } = picker()
    expect(screen.getByTestId('attach-button').getAttribute('aria-label')).toMatch(/^Attach files \(.+U\)$/)
    fireEvent.click(screen.getByTestId('attach-button'))
    expect(handlers.run('attach-files')).toBe(true)
    expect(opened).toHaveBeenCalledTimes(2)
  })

  it('gives the files chosen, and forgets them, so the same file chosen again is a new attachment', () => {
    const { input, onFiles } = picker()
    const file = new File(['a'], 'a.txt', { type: 'text/plain' })
    fireEvent.change(input, { target: { files: [file] } })
    expect(onFiles).toHaveBeenCalledWith([file])
    expect(input.value).toBe('')
  })

  it('gone from the window, it no longer does Attach files', () => {
    const { handlers } = picker()
    cleanup()
    expect(handlers.has('attach-files')).toBe(false)
  })
})
