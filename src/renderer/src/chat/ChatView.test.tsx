// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, render, screen, waitFor } from '@testing-library/react'
import { VirtuosoMockContext } from 'react-virtuoso'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyError } from '../../../shared'
import { CommandHandlers } from '../commands/handlers'
import { CommandsProvider } from '../commands/use-commands'
import type { ParleyDatabase } from '../db/schema'
import { UncommittedRows } from '../db/uncommitted-rows'
import { ParleyProvider } from '../parley-context'
import { freshDatabase, linearChatRows, userMessage } from '../testing/history-fixtures'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { testServices } from '../testing/test-services'
import { ChatView } from './ChatView'
import type { MessageTarget } from './message-target'

afterEach(cleanup)

const CHAT = 'chat'


async function putChat(db: ParleyDatabase, count: number): Promise<void> {
  await db.transaction('rw', db.sessions, db.messages, async () => {
    await db.sessions.put({ id: CHAT, title: 'Long chat', createdAt: 0, updatedAt: count, seq: count + 1, leafId: count > 0 ? `m${count - 1}` : undefined })
    await db.messages.bulkPut(linearChatRows(CHAT, count))
  })
}

function renderChat(db: ParleyDatabase, uncommitted = new UncommittedRows(() => undefined), more: { api?: FakeParleyApi; target?: MessageTarget } = {}) {
  const services = testServices({ db, uncommitted, ...(more.api ? { api: more.api } : {}) })
  const rendered = render(
    <ParleyProvider services={services}>
      <CommandsProvider handlers={new CommandHandlers()}>
        <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 60 }}>
          <ChatView sessionId={CHAT} target={more.target} />
        </VirtuosoMockContext.Provider>
      </CommandsProvider>
    </ParleyProvider>
  )
  return { ...rendered, services }
}

/**
 * A chat of 40 messages (m0…m39, the current branch) and a later branch beside m20: x20 (an edit of it) and 99
 * messages below it, x21…x119. Opened at x20, the window around it doesn't reach that branch's end.
 */
async function putBranchedChat(db: ParleyDatabase): Promise<void> {
  await putChat(db, 40)
  const branch = Array.from({ length: 100 }, (_, k) => ({
    ...linearChatRows(CHAT, 1, 20 + k)[0]!,
    id: `x${20 + k}`,
    parentId: k === 0 ? 'm19' : `x${19 + k}`,
    createdAt: 100_000 + k * 1_000,
    seq: 100 + k,
    createdSeq: 100 + k
  }))
  await db.messages.bulkPut(branch)
}

const drawnIds = (): string[] => screen.queryAllByTestId('message').map((message) => message.dataset['messageId'] ?? '')

describe('ChatView', () => {
  it('opens a chat at the bottom of its last message', async () => {
    const db = freshDatabase()
    await putChat(db, 300)
    renderChat(db)
    await waitFor(() => expect(drawnIds()).toContain('m299'), { timeout: 10_000 })
    expect(drawnIds()).not.toContain('m0')
  })

  it('opens at the bottom when the messages come after the chat was opened (still being copied into IndexedDB)', async () => {
    const db = freshDatabase()
    await putChat(db, 0)
    renderChat(db)
    await screen.findByText('Start a conversation', undefined, { timeout: 10_000 })
    // An import or a rebuild from main lands the chat's 300 messages while it is open, empty so far.
    await act(() => putChat(db, 300))
    await waitFor(() => expect(drawnIds()).toContain('m299'), { timeout: 10_000 })
    expect(drawnIds()).not.toContain('m0')
    expect(drawnIds()).not.toContain('m100')
  })

  it('opens at the bottom again when its first rows are replaced by its last page (the rest copied in while it was open)', async () => {
    const db = freshDatabase()
    await putChat(db, 16)
    renderChat(db)
    await waitFor(() => expect(drawnIds()).toContain('m15'), { timeout: 10_000 })
    // The rest of the chat lands: the window at the live end is now its last 400 of 1,000, none of the 16 drawn.
    await act(() => putChat(db, 1000))
    await waitFor(() => expect(drawnIds()).toContain('m999'), { timeout: 10_000 })
    expect(drawnIds()).not.toContain('m600')
  })

  it('shows a prompt the window has heard of before Dexie has it, and once when Dexie has it too', async () => {
    const db = freshDatabase()
    await putChat(db, 4)
    const uncommitted = new UncommittedRows((callback) => callback())
    renderChat(db, uncommitted)
    await waitFor(() => expect(drawnIds()).toContain('m3'), { timeout: 10_000 })
    const prompt = { ...userMessage(CHAT, 'p', 'Sent just now', 10_000), parentId: 'm3' }
    act(() => uncommitted.take({ type: 'message.created', message: prompt, seq: 50, at: 10_000 }))
    await waitFor(() => expect(drawnIds()).toEqual(['m0', 'm1', 'm2', 'm3', 'p']))
    expect(screen.getByText('Sent just now')).toBeTruthy()
    // The commit and the list's next read: the same row, drawn once.
    await act(async () => {
      await db.messages.put({ ...prompt, seq: 50, createdSeq: 50 })
      await db.sessions.update(CHAT, { leafId: 'p', leafSeq: 50 })
    })
    await waitFor(() => expect(drawnIds()).toEqual(['m0', 'm1', 'm2', 'm3', 'p']))
    expect(screen.getAllByText('Sent just now')).toHaveLength(1)
  })

  it('H3: opening a message on another branch makes that branch the current one, and stays at the message as the leaf moves', async () => {
    const db = freshDatabase()
    await putBranchedChat(db)
    const api = new FakeParleyApi()
    api.switchBranch = async (sessionId, messageId) => {
      api.calls.push({ method: 'switchBranch', args: [sessionId, messageId] })
      return 'x119'
    }
    renderChat(db, undefined, { api, target: { sessionId: CHAT, messageId: 'x20', serial: 1 } })
    await waitFor(() => expect(drawnIds()).toContain('x20'), { timeout: 10_000 })
    expect(api.calls).toContainEqual({ method: 'switchBranch', args: [CHAT, 'x20'] })
    expect(drawnIds()).not.toContain('m20')
    // Main's session.branch reaches Dexie after the window opened at the message: it stays there, not at the live end.
    await act(() => db.sessions.update(CHAT, { leafId: 'x119', leafSeq: 300 }))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(drawnIds()).toContain('x20')
    expect(drawnIds()).not.toContain('x119')
  })

  it('H3: opening a message on another branch while the chat answers shows it there, and says where the next prompt goes', async () => {
    const db = freshDatabase()
    await putBranchedChat(db)
    const api = new FakeParleyApi()
    api.switchBranch = () => Promise.reject(new ParleyError('SessionBusy', 'This chat has a prompt running or waiting.'))
    const { services } = renderChat(db, undefined, { api, target: { sessionId: CHAT, messageId: 'x20', serial: 1 } })
    await waitFor(() => expect(drawnIds()).toContain('x20'), { timeout: 10_000 })
    expect(drawnIds()).not.toContain('m20')
    const notice = services.notices.getSnapshot().find((n) => n.id === 'message-target')
    expect(notice?.text).toMatch(/another branch.*follows the branch being answered/)
  })
})
