// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CommandHandlers } from '../commands/handlers'
import { CommandsProvider } from '../commands/use-commands'
import { ExportMenu } from './ExportMenu'

afterEach(cleanup)

function renderMenu(): { exported: () => number } {
  const handlers = new CommandHandlers()
  const exportMarkdown = vi.fn()
  handlers.register('export-chat-markdown', exportMarkdown)
  render(
    <CommandsProvider handlers={handlers}>
      <ExportMenu />
    </CommandsProvider>
  )
  fireEvent.click(screen.getByTestId('export-menu'))
  return { exported: () => exportMarkdown.mock.calls.length }
}

describe('the Export menu', () => {
  it('Esc on a choice closes the menu, and the focus goes back to the Export button', () => {
    renderMenu()
    screen.getByTestId('export-json').focus()
    fireEvent.keyDown(screen.getByTestId('export-json'), { key: 'Escape' })
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(screen.getByTestId('export-menu'))
  })

  it('a choice runs its command, and the focus goes back to the Export button', () => {
    const { exported } = renderMenu()
    screen.getByTestId('export-markdown').focus()
    fireEvent.click(screen.getByTestId('export-markdown'))
    expect(exported()).toBe(1)
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(screen.getByTestId('export-menu'))
  })
})
