// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import type { JSX } from 'react'
import { VirtuosoMockContext } from 'react-virtuoso'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CommandHandlers } from '../commands/handlers'
import { CommandsProvider } from '../commands/use-commands'
import type { SessionRow } from '../db/schema'
import { ParleyProvider } from '../parley-context'
import { testServices } from '../testing/test-services'
import { Sidebar, type SidebarProps } from './Sidebar'
import { firstRowsDrawn } from './SessionRows'

afterEach(cleanup)

const many = (count: number): SessionRow[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `chat-${count - i}`,
    title: count - i === 1 ? 'Oldest: tomato soup' : `Chat ${count - i}`,
    createdAt: 0,
    updatedAt: count - i,
    seq: 1
  }))


function renderSidebar(sessions: readonly SessionRow[], props: Partial<SidebarProps> = {}, measured = true) {
  const onSelect = vi.fn()
  const all: SidebarProps = {
    sessions,
    selectedId: undefined,
    narrow: false,
    focusFilter: 0,
    onFilterFocused: () => undefined,
    onSelect,
    onNewSession: () => undefined,
    onDeleted: () => undefined,
    onOpenSettings: () => undefined,
    ...props
  }
  const tree = (p: SidebarProps): JSX.Element => (
    <ParleyProvider services={testServices()}>
      <CommandsProvider handlers={new CommandHandlers()}>
        {measured ? (
          <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 30 }}>
            <Sidebar {...p} />
          </VirtuosoMockContext.Provider>
        ) : (
          <Sidebar {...p} />
        )}
      </CommandsProvider>
    </ParleyProvider>
  )
  const view = render(tree(all))
  const redraw = (changed: Partial<SidebarProps>): void => view.rerender(tree({ ...all, ...changed }))
  return { ...view, redraw, onSelect, rows: () => screen.queryAllByTestId('session-item') }
}

describe('the sidebar', () => {
  it('draws a screenful of 10,000 chats, not all of them, newest first', () => {
    const { rows } = renderSidebar(many(10_000))
    expect(rows().length).toBeGreaterThan(10)
    expect(rows().length).toBeLessThan(60)
    expect(rows()[0]?.dataset['sessionId']).toBe('chat-10000')
  })

  it('draws the rows a window could show in the list\'s first commit, before anything is measured (issue 11: first rows)', () => {
    // happy-dom lays nothing out: Virtuoso measures a viewport of 0 px, and without its first rows it would draw none.
    const { rows } = renderSidebar(many(50_000), {}, false)
    expect(rows()).toHaveLength(firstRowsDrawn(50_000, window.innerHeight))
    expect(rows().length).toBeGreaterThanOrEqual(window.innerHeight / 33)
    expect(rows()[0]?.dataset['sessionId']).toBe('chat-50000')
    cleanup()
    expect(renderSidebar(many(3), {}, false).rows()).toHaveLength(3)
  })

  it('re-rendered (another chat opened), keeps its scroller: Virtuoso does not lay the page out again to re-attach it', () => {
    const view = renderSidebar(many(50))
    const scroller = view.container.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')
    if (scroller === null) throw new Error('no scroller drawn')
    const attached = vi.spyOn(scroller, 'addEventListener')
    view.redraw({ selectedId: 'chat-48' })
    view.redraw({ selectedId: 'chat-45' })
    expect(view.container.querySelectorAll('.session-item.selected')).toHaveLength(1)
    // Each re-attachment reads scrollTop and scrollHeight: a forced layout in the middle of a commit.
    expect(attached.mock.calls.filter(([type]) => type === 'scroll')).toEqual([])
  })

  it('filters by title as you type, says so when nothing matches, and Esc clears the box', async () => {
    const { rows } = renderSidebar(many(10_000))
    const filter = screen.getByTestId('session-filter') as HTMLInputElement
    await act(async () => {
      fireEvent.change(filter, { target: { value: 'TOMATO' } })
    })
    expect(rows().map((row) => row.dataset['sessionId'])).toEqual(['chat-1'])
    await act(async () => {
      fireEvent.change(filter, { target: { value: 'nothing like it' } })
    })
    expect(rows()).toHaveLength(0)
    expect(screen.getByTestId('session-filter-empty').textContent).toBe('No chats match “nothing like it”.')
    await act(async () => {
      fireEvent.keyDown(filter, { key: 'Escape' })
    })
    expect(filter.value).toBe('')
    expect(rows()[0]?.dataset['sessionId']).toBe('chat-10000')
  })

  it('clears the filter when a chat it hides is opened (a new chat, Ctrl+N), once its row is in; not while typing', async () => {
    const sessions = many(50)
    const { rerender } = renderSidebar(sessions, { selectedId: 'chat-50' })
    const filter = screen.getByTestId('session-filter') as HTMLInputElement
    // Typing a filter that hides the chat open leaves it as typed.
    await act(async () => {
      fireEvent.change(filter, { target: { value: 'chat 4' } })
    })
    expect(filter.value).toBe('chat 4')
    // A chat that matches is opened: the filter stays.
    const props = (selectedId: string, rows: readonly SessionRow[]): SidebarProps => ({
      sessions: rows,
      selectedId,
      narrow: false,
      focusFilter: 0,
      onFilterFocused: () => undefined,
      onSelect: () => undefined,
      onNewSession: () => undefined,
      onDeleted: () => undefined,
      onOpenSettings: () => undefined
    })
    const tree = (p: SidebarProps): JSX.Element => (
      <ParleyProvider services={testServices()}>
        <CommandsProvider handlers={new CommandHandlers()}>
          <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 30 }}>
            <Sidebar {...p} />
          </VirtuosoMockContext.Provider>
        </CommandsProvider>
      </ParleyProvider>
    )
    await act(async () => rerender(tree(props('chat-49', sessions))))
    expect(filter.value).toBe('chat 4')
    // A new chat is opened before its row is read: nothing yet; its row comes, untitled: the filter is cleared.
    await act(async () => rerender(tree(props('fresh', sessions))))
    expect(filter.value).toBe('chat 4')
    const fresh: SessionRow = { id: 'fresh', title: null, createdAt: 0, updatedAt: 100, seq: 1 }
    await act(async () => rerender(tree(props('fresh', [fresh, ...sessions]))))
    expect(filter.value).toBe('')
  })

  it('Enter in the filter opens the first match', async () => {
    const { onSelect } = renderSidebar(many(50))
    const filter = screen.getByTestId('session-filter')
    await act(async () => {
      fireEvent.change(filter, { target: { value: 'chat 4' } })
    })
    fireEvent.keyDown(filter, { key: 'Enter' })
    expect(onSelect).toHaveBeenCalledWith('chat-49')
  })

  it('takes the focus into the filter box when asked, and says it did', () => {
    const onFilterFocused = vi.fn()
    renderSidebar(many(5), { focusFilter: 1, onFilterFocused })
    expect(document.activeElement).toBe(screen.getByTestId('session-filter'))
    expect(onFilterFocused).toHaveBeenCalledTimes(1)
  })

  it('opens a chat on a click, and says “No chats yet.” when there are none', () => {
    const { onSelect } = renderSidebar(many(3))
    fireEvent.click(screen.getAllByTestId('session-title')[1]!)
    expect(onSelect).toHaveBeenCalledWith('chat-2')
    cleanup()
    renderSidebar([])
    expect(screen.getByText('No chats yet.')).toBeTruthy()
  })

  /** Deletes a chat with the keyboard from its row's confirm, then draws the list without it, as the app does. */
  async function deleteFromRow(sessions: readonly SessionRow[], id: string, view: ReturnType<typeof renderSidebar>) {
    const item = view.rows().find((row) => row.dataset['sessionId'] === id)
    const trash = item?.querySelector<HTMLButtonElement>('[data-testid="delete-session"]')
    trash?.focus()
    await act(async () => trash?.click())
    const confirm = screen.getByTestId('confirm-delete')
    expect(document.activeElement).toBe(confirm)
    await act(async () => confirm.click())
    const left = sessions.filter((session) => session.id !== id)
    view.redraw({ sessions: left })
    return left
  }

  it('a chat deleted from its row gives the focus to the row below, or above at the end, or New chat when none is left', async () => {
    const three = many(3)
    const view = renderSidebar(three)
    const focusedChat = (): string | undefined => document.activeElement?.closest<HTMLElement>('[data-session-id]')?.dataset['sessionId']
    const two = await deleteFromRow(three, 'chat-2', view)
    expect(document.activeElement?.classList.contains('session-open')).toBe(true)
    expect(focusedChat()).toBe('chat-1')
    const one = await deleteFromRow(two, 'chat-1', view)
    expect(focusedChat()).toBe('chat-3')
    await deleteFromRow(one, 'chat-3', view)
    expect(document.activeElement).toBe(screen.getByTestId('new-session'))
  })

  it('hidden while it holds the focus (Ctrl+B), it gives the focus to the composer, not the page', () => {
    const composer = document.body.appendChild(document.createElement('textarea'))
    composer.dataset['testid'] = 'composer-input'
    try {
      const { unmount } = renderSidebar(many(3))
      screen.getByTestId('session-filter').focus()
      unmount()
      expect(document.activeElement).toBe(composer)
    } finally {
      composer.remove()
    }
  })
})
