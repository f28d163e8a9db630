// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyError, type Call } from '../../../shared'
import { provideAttachmentServices } from '../attachments/services'
import { Thumbnails } from '../attachments/thumbnails'
import { VisionCheck } from '../attachments/vision-check'
import { bytesToBase64, readAllBytes, sha256Hex } from '../attachments/file-bytes'
import { CommandHandlers } from '../commands/handlers'
import { CommandsProvider } from '../commands/use-commands'
import { ParleyProvider } from '../parley-context'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { freshDatabase } from '../testing/history-fixtures'
import { testServices } from '../testing/test-services'
import { promptsSentNow } from '../chat/prompts-sent-now'
import { Composer } from './Composer'
import { NewChat } from './send-prompt'

afterEach(cleanup)

function mount() {
  const api = new FakeParleyApi()
  const db = freshDatabase()
  const services = testServices({ api, db })
  const thumbnails = new Thumbnails(db, () => Promise.reject(new Error('no thumbnails here')))
  // The worker's steps, in process (happy-dom has no Worker).
  provideAttachmentServices(api, {
    attach: {
      api,
      prepare: async (file, _request, onProgress) => {
        const bytes = await readAllBytes(file, onProgress)
        return { type: 'done', sha256: await sha256Hex(bytes), dataBase64: bytesToBase64(bytes), thumbnail: null }
      },
      keepThumbnail: (id, dataUrl) => thumbnails.keep(id, dataUrl)
    },
    thumbnails,
    vision: new VisionCheck(api),
    openImage: () => Promise.reject(new Error('no viewer here'))
  })
  render(
    <ParleyProvider services={services}>
      <CommandsProvider handlers={new CommandHandlers()}>
        <Composer sessionId="s1" newChat={new NewChat(api)} onSession={() => undefined} onStop={() => undefined} />
      </CommandsProvider>
    </ParleyProvider>
  )
  return { api, activity: services.activity }
}

const input = (): HTMLTextAreaElement => screen.getByTestId('composer-input') as HTMLTextAreaElement

async function paste(files: File[]): Promise<void> {
  await act(async () => {
    fireEvent.paste(input(), { clipboardData: { types: ['Files'], files, items: [] } })
  })
}

async function attached(count: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (document.querySelectorAll('[data-phase="attached"]').length === count) return
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
  }
  throw new Error(`not ${count} attached`)
}

describe('Composer with attachments', () => {
  it('a pasted file becomes a chip, and the prompt goes with its ref', async () => {
    const { api } = mount()
    await paste([new File(['hello'], 'notes.md', { type: 'text/markdown' })])
    await attached(1)
    fireEvent.change(input(), { target: { value: 'Read this' } })
    await act(async () => {
      fireEvent.keyDown(input(), { key: 'Enter' })
    })
    const call = api.calls.find((c) => c.method === 'enqueue')?.args[0] as Call | undefined
    expect(call?.prompt).toBe('Read this')
    expect(call?.attachments).toEqual([expect.objectContaining({ name: 'notes.md', kind: 'text' })])
    expect(screen.queryAllByTestId('attachment-chip')).toHaveLength(0)
  })

  it('a refused send puts the prompt and its chips back, and says why', async () => {
    const { api } = mount()
    api.enqueueAnswer = () => Promise.reject(new ParleyError('SessionBusy', 'The queue is full.'))
    await paste([new File(['a'], 'a.txt', { type: 'text/plain' }), new File(['b'], 'b.txt', { type: 'text/plain' })])
    await attached(2)
    fireEvent.change(input(), { target: { value: 'Both' } })
    await act(async () => {
      fireEvent.keyDown(input(), { key: 'Enter' })
    })
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
    expect(screen.getByTestId('composer-error').textContent).toBe('The queue is full.')
    expect(input().value).toBe('Both')
    expect(screen.getAllByTestId('attachment-name').map((name) => name.textContent)).toEqual(['a.txt', 'b.txt'])
  })

  it('a prompt of only attachments may be sent; a text paste is left to the box', async () => {
    const { api } = mount()
    await act(async () => {
      fireEvent.paste(input(), { clipboardData: { types: ['text/plain'], files: [], items: [] } })
    })
    expect(screen.queryAllByTestId('attachment-chip')).toHaveLength(0)
    await paste([new File(['x'], 'x.txt', { type: 'text/plain' })])
    await attached(1)
    await act(async () => {
      fireEvent.click(screen.getByTestId('send-button'))
    })
    expect(api.calls.filter((c) => c.method === 'enqueue')).toHaveLength(1)
  })
})

describe('Composer and the chat list', () => {
  it('notes a prompt sent to an idle chat (the list comes down to it), and not one queued behind a busy run', async () => {
    const { api, activity } = mount()
    const sendText = async (text: string): Promise<string | undefined> => {
      fireEvent.change(input(), { target: { value: text } })
      await act(async () => {
        fireEvent.keyDown(input(), { key: 'Enter' })
      })
      await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
      return (api.calls.filter((c) => c.method === 'enqueue').at(-1)?.args[0] as Call | undefined)?.runId
    }
    const first = await sendText('First')
    // Main says the chat is busy with it: the next prompt waits in the queue.
    act(() => activity.take({ type: 'session.busy', sessionId: 's1', busy: true, seq: 1, at: 1 }))
    const second = await sendText('Second')
    expect(first).toBeDefined()
    expect(second).toBeDefined()
    expect(promptsSentNow.has(first ?? '')).toBe(true)
    expect(promptsSentNow.has(second ?? '')).toBe(false)
  })
})
