// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { cleanup, render, screen } from '@testing-library/react'
import type { JSX } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CommandHandlers } from '../commands/handlers'
import { CommandsProvider } from '../commands/use-commands'
import { ParleyProvider } from '../parley-context'
import { freshDatabase, linearChatRows } from '../testing/history-fixtures'
import { testServices } from '../testing/test-services'
import { MessageBubble } from './MessageBubble'

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
            <MessageBubble key={row.id} message={row} siblings={[row.id]} index={index} editRequest={0} />
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
})
