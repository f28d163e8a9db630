// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useState, type JSX } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { Call, Session } from '../../../shared'
import { CommandHandlers } from '../commands/handlers'
import { CommandsProvider } from '../commands/use-commands'
import { Composer } from '../composer/Composer'
import { ParleyProvider } from '../parley-context'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { freshDatabase, linearChatRows } from '../testing/history-fixtures'
import { testServices } from '../testing/test-services'
import { useNewChat } from './use-new-chat'

afterEach(() => {
  cleanup()
  localStorage.clear()
})

/** The window's part of it: the chat on screen, "New chat", and the composer (as App puts them together). */
function Window(props: { first: string }): JSX.Element {
  const [shown, setShown] = useState(props.first)
  const newChat = useNewChat(shown, setShown)
  return (
    <>
      <p data-testid="shown">{shown}</p>
      <button type="button" data-testid="new-chat" onClick={newChat.open}>
        New chat
      </button>
      <Composer sessionId={newChat.coming ? undefined : shown} newChat={newChat.chat} onSession={setShown} onStop={() => undefined} />
    </>
  )
}

/**
 * A window showing chat s1 (two messages in it), with main's `createSession` held until `answer` is called (or
 * refused, with `refuse`).
 */
async function mount(): Promise<{ api: FakeParleyApi; answer: () => void; refuse: (reason: string) => void }> {
  const api = new FakeParleyApi()
  const db = freshDatabase()
  await db.messages.bulkPut(linearChatRows('s1', 2))
  let answer = (): void => undefined
  let refuse = (_reason: string): void => undefined
  const held = new Promise<void>((resolve, reject) => {
    answer = resolve
    refuse = (reason) => reject(new Error(reason))
  })
  const create = api.createSession.bind(api)
  api.createSession = async (options: { title?: string }): Promise<Session> => {
    await held
    return create(options)
  }
  render(
    <ParleyProvider services={testServices({ api, db })}>
      <CommandsProvider handlers={new CommandHandlers()}>
        <Window first="s1" />
      </CommandsProvider>
    </ParleyProvider>
  )
  return { api, answer: () => answer(), refuse: (reason) => refuse(reason) }
}

const enqueued = (api: FakeParleyApi): Call[] => api.calls.filter((c) => c.method === 'enqueue').map((c) => c.args[0] as Call)

async function type(prompt: string): Promise<void> {
  const input = screen.getByTestId('composer-input')
  fireEvent.change(input, { target: { value: prompt } })
  await act(async () => {
    fireEvent.keyDown(input, { key: 'Enter' })
  })
}

describe('New chat', () => {
  it('a prompt typed before main has made the new chat goes to the new chat, not the one on screen', async () => {
    const { api, answer } = await mount()
    await act(async () => {
      fireEvent.click(screen.getByTestId('new-chat'))
    })
    // Main has not answered: the old chat is still on screen, and the prompt waits for the new one.
    await type('for the new chat')
    expect(screen.getByTestId('shown').textContent).toBe('s1')
    expect(enqueued(api)).toEqual([])
    await act(async () => answer())
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)))
    const made = api.calls.filter((c) => c.method === 'createSession')
    // One chat made, by "New chat": the prompt joined it instead of making its own.
    expect(made).toHaveLength(1)
    expect(screen.getByTestId('shown').textContent).not.toBe('s1')
    expect(enqueued(api).map((call) => [call.sessionId, call.prompt])).toEqual([[screen.getByTestId('shown').textContent, 'for the new chat']])
    // Once it shows, prompts go to it as to any chat.
    await type('and another')
    expect(enqueued(api).map((call) => call.sessionId)).toEqual([screen.getByTestId('shown').textContent, screen.getByTestId('shown').textContent])
    expect(api.calls.filter((c) => c.method === 'createSession')).toHaveLength(1)
  })

  it('refused by main, the prompt typed meanwhile comes back to the box with the reason, and the old chat stays', async () => {
    const { api, refuse } = await mount()
    await act(async () => {
      fireEvent.click(screen.getByTestId('new-chat'))
    })
    await type('keep me')
    expect((screen.getByTestId('composer-input') as HTMLTextAreaElement).value).toBe('')
    await act(async () => refuse('the disk is full'))
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)))
    expect(screen.getByTestId('shown').textContent).toBe('s1')
    expect(enqueued(api)).toEqual([])
    expect((screen.getByTestId('composer-input') as HTMLTextAreaElement).value).toBe('keep me')
    expect(screen.getByTestId('composer-error').textContent).toContain('the disk is full')
    // The chat on screen takes the next prompt as before.
    await type('keep me')
    expect(enqueued(api).map((call) => call.sessionId)).toEqual(['s1'])
  })
})
