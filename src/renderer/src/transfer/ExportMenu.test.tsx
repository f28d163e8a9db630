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

  it('opening it focuses its first choice; Down and Up move through the choices and wrap, Home and End go to either end', () => {
    renderMenu()
    const focused = () => document.activeElement?.getAttribute('data-testid')
    expect(focused()).toBe('export-markdown')
    const key = (name: string) => fireEvent.keyDown(document.activeElement ?? document.body, { key: name })
    key('ArrowDown')
    expect(focused()).toBe('export-json')
    key('ArrowDown')
    key('ArrowDown')
    expect(focused()).toBe('export-markdown')
    key('ArrowUp')
    expect(focused()).toBe('export-all')
    key('Home')
    expect(focused()).toBe('export-markdown')
    key('End')
    expect(focused()).toBe('export-all')
    // The choices are reached with the arrows, not Tab.
    expect(screen.getAllByRole('menuitem').map((item) => item.tabIndex)).toEqual([-1, -1, -1])
  })

  it('Down on the closed Export button opens the menu at its first choice, Up at its last', () => {
    renderMenu()
    fireEvent.keyDown(screen.getByTestId('export-markdown'), { key: 'Escape' })
    const button = screen.getByTestId('export-menu')
    fireEvent.keyDown(button, { key: 'ArrowDown' })
    expect(document.activeElement).toBe(screen.getByTestId('export-markdown'))
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' })
    fireEvent.keyDown(button, { key: 'ArrowUp' })
    expect(document.activeElement).toBe(screen.getByTestId('export-all'))
  })

  it('Tab closes the menu, from the Export button, so the focus goes on to what follows it', () => {
    renderMenu()
    fireEvent.keyDown(screen.getByTestId('export-json'), { key: 'Tab' })
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(screen.getByTestId('export-menu'))
  })
})
