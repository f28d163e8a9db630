// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import type { JSX } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CommandHandlers } from '../commands/handlers'
import { CommandsProvider } from '../commands/use-commands'
import type { MessageRow } from '../db/schema'
import { ParleyProvider } from '../parley-context'
import { freshDatabase, linearChatRows } from '../testing/history-fixtures'
import { testServices } from '../testing/test-services'
import { currentBranch } from './branch'
import { MessageBubble } from './MessageBubble'
import { useChatCommands } from './use-chat-commands'

// The markdown view, failing on one answer as a bug in it (or in a library under it) would.
vi.mock('./LoadedMarkdown', () => ({
  LoadedMarkdown: (props: { text: string }): JSX.Element => {
    if (props.text.includes('$$\\begin{broken')) throw new Error('KaTeX parse error: Expected & or \\\\')
    return <div className="markdown">{props.text}</div>
  }
}))

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('MessageBubble', () => {
  it('shows an answer it cannot draw as its text, as written, with what failed; the messages around it are drawn', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const [prompt, answer, next] = linearChatRows('chat', 3)
    if (!prompt || !answer || !next) throw new Error('fixture')
    const broken = { ...answer, parts: [{ type: 'text' as const, text: 'The matrix:\n\n$$\\begin{broken} a & b \\end{broken}$$' }] }
    render(
      <ParleyProvider services={testServices({ db: freshDatabase() })}>
        <CommandsProvider handlers={new CommandHandlers()}>
          {[prompt, broken, next].map((row, index) => (
            <MessageBubble
              key={row.id}
              message={row}
              siblings={[row.id]}
              index={index}
              editRequested={false}
              onEditTaken={() => undefined}
            />
          ))}
        </CommandsProvider>
      </ParleyProvider>
    )
    const shown = screen.getByTestId('message-undrawable')
    expect(shown.textContent).toContain('Parley could not draw this message (KaTeX parse error')
    expect(shown.textContent).toContain('$$\\begin{broken} a & b \\end{broken}$$')
    expect(screen.getAllByTestId('message')).toHaveLength(3)
    expect(screen.getByText('Message 0')).toBeTruthy()
    expect(screen.getByText('Message 2')).toBeTruthy()
  })

  it('says an answer that finished without a word is empty, and offers Retry; one with text says Done', () => {
    const [, answer] = linearChatRows('chat', 2)
    if (!answer) throw new Error('fixture')
    const empty: MessageRow = { ...answer, id: 'empty', parts: [{ type: 'text', text: '' }], finishReason: 'end_turn' }
    const written: MessageRow = { ...answer, id: 'written', finishReason: 'end_turn' }
    render(
      <ParleyProvider services={testServices({ db: freshDatabase() })}>
        <CommandsProvider handlers={new CommandHandlers()}>
          {[empty, written].map((row, index) => (
            <MessageBubble key={row.id} message={row} siblings={[row.id]} index={index} editRequested={false} onEditTaken={() => undefined} />
          ))}
        </CommandsProvider>
      </ParleyProvider>
    )
    const [first, second] = screen.getAllByTestId('message')
    expect(first?.querySelector('[data-testid="run-state"]')?.textContent).toBe('Empty answer')
    expect(first?.querySelector('[data-testid="empty-answer"]')?.textContent).toContain('finished without writing anything')
    expect(first?.querySelector('[data-testid="retry-run"]')).not.toBeNull()
    expect(second?.querySelector('[data-testid="run-state"]')?.textContent).toBe('Done')
    expect(second?.querySelector('[data-testid="empty-answer"]')).toBeNull()
    expect(second?.querySelector('[data-testid="retry-run"]')).toBeNull()
  })
})

/** The chat's messages as its list draws them, only those in `drawn`: the list re-creates a row that scrolls back in. */
function DrawnRows(props: { rows: readonly MessageRow[]; drawn: readonly string[] }): JSX.Element {
  const branch = currentBranch(props.rows, undefined)
  const edit = useChatCommands(branch)
  return (
    <>
      {branch
        .filter((item) => props.drawn.includes(item.message.id))
        .map((item) => (
          <MessageBubble
            key={item.message.id}
            message={item.message}
            siblings={item.siblings}
            index={item.index}
            editRequested={edit.messageId === item.message.id}
            onEditTaken={edit.taken}
          />
        ))}
    </>
  )
}

describe('Up in the empty composer (edit the last prompt)', () => {
  it('opens the editor once: a cancelled editor stays closed when its row is drawn again, and only the prompt asked for opens', () => {
    const handlers = new CommandHandlers()
    const rows = linearChatRows('chat', 4)
    const ids = rows.map((row) => row.id)
    const window = (shown: readonly MessageRow[], drawn: readonly string[]): JSX.Element => (
      <ParleyProvider services={testServices({ db: freshDatabase() })}>
        <CommandsProvider handlers={handlers}>
          <DrawnRows rows={shown} drawn={drawn} />
        </CommandsProvider>
      </ParleyProvider>
    )
    const firstTurn = rows.slice(0, 2)
    const { rerender } = render(window(firstTurn, ids))
    const editors = (): HTMLElement[] => screen.queryAllByTestId('edit-prompt-input')
    const editedId = (): string | null | undefined => editors()[0]?.closest('article')?.getAttribute('data-message-id')

    act(() => void handlers.run('edit-last-prompt'))
    expect(editors()).toHaveLength(1)
    expect(editedId()).toBe('m0')
    fireEvent.keyDown(editors()[0] as HTMLElement, { key: 'Escape' })
    expect(editors()).toHaveLength(0)

    // The next turn comes; the first prompt's row scrolls out of the list and back in.
    rerender(window(rows, ids.slice(1)))
    rerender(window(rows, ids))
    expect(editors()).toHaveLength(0)

    act(() => void handlers.run('edit-last-prompt'))
    expect(editors()).toHaveLength(1)
    expect(editedId()).toBe('m2')
  })
})
