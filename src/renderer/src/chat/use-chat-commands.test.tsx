// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import type { JSX } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CommandHandlers } from '../commands/handlers'
import { isMac } from '../commands/platform'
import { CommandsProvider, useCommandKeys } from '../commands/use-commands'
import type { MessageRow } from '../db/schema'
import { briefNoticeMs } from '../notices/brief-notice'
import { Banners } from '../notices/Banners'
import { ParleyProvider } from '../parley-context'
import { testServices } from '../testing/test-services'
import type { BranchItem } from './branch'
import { useChatCommands } from './use-chat-commands'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

const row = (id: string, role: MessageRow['role'], text: string, status: MessageRow['status'] = 'finished'): BranchItem<MessageRow> => ({
  message: { id, sessionId: 's1', runId: `r-${id}`, role, parts: [{ type: 'text', text }], status, createdAt: 0, seq: 1, createdSeq: 1 },
  siblings: [id],
  index: 0
})

function Chat(props: { branch: readonly BranchItem<MessageRow>[] }): JSX.Element | null {
  useCommandKeys()
  useChatCommands(props.branch)
  return null
}

/** The window's banners and an open chat with `branch`; the clipboard answers with `write`. */
function renderChat(branch: readonly BranchItem<MessageRow>[], write: (text: string) => Promise<void> = () => Promise.resolve()) {
  const writeText = vi.fn(write)
  vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
  render(
    <ParleyProvider services={testServices()}>
      <CommandsProvider handlers={new CommandHandlers()}>
        <Banners />
        <Chat branch={branch} />
      </CommandsProvider>
    </ParleyProvider>
  )
  return { writeText }
}

const pressCopy = async (): Promise<void> => {
  await act(async () => {
    fireEvent.keyDown(window, { key: 'C', shiftKey: true, ctrlKey: !isMac(), metaKey: isMac() })
  })
}

describe('Ctrl+Shift+C: copy the last answer, and say so', () => {
  it('copies the last answer and says so for a moment, over the page, in a live region a screen reader reads (a status)', async () => {
    vi.useFakeTimers()
    const { writeText } = renderChat([row('p1', 'user', 'Hi'), row('a1', 'assistant', 'Hello **there**')])
    await pressCopy()
    expect(writeText).toHaveBeenCalledWith('Hello **there**')
    expect(screen.getByRole('status').textContent).toBe('Copied the last answer.')
    expect(screen.getByRole('status').className).toBe('brief-notices')
    await act(async () => vi.advanceTimersByTimeAsync(briefNoticeMs))
    expect(screen.getByRole('status').textContent).toBe('')
  })

  it('says when the clipboard refuses, and why, as an alert', async () => {
    renderChat([row('a1', 'assistant', 'Hello')], () => Promise.reject(new Error('Write permission denied.')))
    await pressCopy()
    expect(screen.getByRole('alert').textContent).toContain('Parley could not copy the last answer: Write permission denied.')
    expect(screen.getByRole('status').textContent).toBe('')
  })

  it('says when there is no answer to copy, or the last one has no text, and copies nothing', async () => {
    const { writeText } = renderChat([row('p1', 'user', 'Hi')])
    await pressCopy()
    expect(screen.getByRole('status').textContent).toBe('This chat has no answer to copy yet.')
    cleanup()
    const empty = renderChat([row('p1', 'user', 'Hi'), row('a1', 'assistant', '')])
    await pressCopy()
    expect(screen.getByRole('status').textContent).toBe('The last answer has no text to copy.')
    expect(writeText).not.toHaveBeenCalled()
    expect(empty.writeText).not.toHaveBeenCalled()
  })

  it('says an answer still being written was copied as far as it has come', async () => {
    renderChat([row('a1', 'assistant', 'Hel', 'streaming')])
    await pressCopy()
    expect(screen.getByRole('status').textContent).toBe('Copied the answer so far (it is still being written).')
  })
})
