// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import type { JSX } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { limits, ParleyError, thousands, type Call, type Session } from '../../../shared'
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

afterEach(() => {
  cleanup()
  localStorage.clear()
})

/**
 * The composer of a window showing `sessionId` (none: `{ none: true }`); `api`: main as a window before left it;
 * `held`: files are read only once it settles (a file still on its way, whatever the machine's speed).
 */
function mount(sessionId: string | { none: true } = 's1', api = new FakeParleyApi(), held: Promise<void> = Promise.resolve()) {
  const db = freshDatabase()
  const services = testServices({ api, db })
  const thumbnails = new Thumbnails(db, () => Promise.reject(new Error('no thumbnails here')))
  // The worker's steps, in process (happy-dom has no Worker).
  provideAttachmentServices(api, {
    attach: {
      api,
      prepare: async (file, _request, onProgress) => {
        await held
        const bytes = await readAllBytes(file, onProgress)
        return { type: 'done', sha256: await sha256Hex(bytes), dataBase64: bytesToBase64(bytes), thumbnail: null }
      },
      keepThumbnail: (id, dataUrl) => thumbnails.keep(id, dataUrl)
    },
    thumbnails,
    vision: new VisionCheck(api),
    openImage: () => Promise.reject(new Error('no viewer here'))
  })
  const newChat = new NewChat(api)
  const window = (shown: string | undefined): JSX.Element => (
    <ParleyProvider services={services}>
      <CommandsProvider handlers={new CommandHandlers()}>
        <Composer sessionId={shown} newChat={newChat} onSession={() => undefined} onStop={() => undefined} />
      </CommandsProvider>
    </ParleyProvider>
  )
  const { rerender, unmount } = render(window(typeof sessionId === 'string' ? sessionId : undefined))
  /** The window shows another chat (or none). */
  const show = (shown: string | undefined): void => rerender(window(shown))
  return { api, activity: services.activity, show, unmount }
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

  it('each chat keeps its own attachments: a file attached in one chat is not sent with a prompt in another', async () => {
    const { api, show } = mount('s1')
    await paste([new File(['hello'], 'for-s1.md', { type: 'text/markdown' })])
    await attached(1)
    show('s2')
    expect(screen.queryAllByTestId('attachment-chip')).toHaveLength(0)
    fireEvent.change(input(), { target: { value: 'No file here' } })
    await act(async () => {
      fireEvent.keyDown(input(), { key: 'Enter' })
    })
    const call = api.calls.find((c) => c.method === 'enqueue')?.args[0] as Call | undefined
    expect(call?.sessionId).toBe('s2')
    expect(call?.attachments ?? []).toEqual([])
    show('s1')
    expect(screen.getAllByTestId('attachment-name').map((name) => name.textContent)).toEqual(['for-s1.md'])
  })

  it('a file still on its way when the person switches chats arrives in the chat it was attached in', async () => {
    let arrive = (): void => undefined
    const { show } = mount('s1', new FakeParleyApi(), new Promise<void>((resolve) => (arrive = resolve)))
    await paste([new File(['x'.repeat(200_000)], 'big.txt', { type: 'text/plain' })])
    expect(document.querySelectorAll('[data-phase="attached"]')).toHaveLength(0)
    show('s2')
    arrive()
    await act(() => new Promise((resolve) => setTimeout(resolve, 200)))
    expect(screen.queryAllByTestId('attachment-chip')).toHaveLength(0)
    show('s1')
    await attached(1)
    expect(screen.getAllByTestId('attachment-name').map((name) => name.textContent)).toEqual(['big.txt'])
  })

  it('attached with no chat yet, the files go with the chat that is made for them', async () => {
    const { show } = mount({ none: true })
    await paste([new File(['a'], 'first.txt', { type: 'text/plain' })])
    await attached(1)
    show('made')
    expect(screen.getAllByTestId('attachment-name').map((name) => name.textContent)).toEqual(['first.txt'])
    show(undefined)
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

describe('Composer: attachments kept with the draft', () => {
  const send = async (text: string): Promise<void> => {
    fireEvent.change(input(), { target: { value: text } })
    await act(async () => {
      fireEvent.keyDown(input(), { key: 'Enter' })
    })
  }
  const names = (): (string | null)[] => screen.queryAllByTestId('attachment-name').map((name) => name.textContent)
  /** A window that attached `file` to s1's prompt and was closed: its main, as the next window finds it. */
  const closedWithFile = async (file: File): Promise<FakeParleyApi> => {
    const first = mount('s1')
    await paste([file])
    await attached(1)
    first.unmount()
    return first.api
  }

  it('a reload finds the attached files on the composer again, holds them again with main, and sends them', async () => {
    const main = await closedWithFile(new File(['kept notes'], 'kept.md', { type: 'text/markdown' }))
    const [ref] = [...main.attachments.values()].map((data) => data.ref)

    const { api } = mount('s1', main)
    expect(names()).toEqual(['kept.md'])
    await attached(1)
    expect(api.calls.filter((c) => c.method === 'holdAttachments').map((c) => c.args[0])).toEqual([[ref?.id]])
    await send('Read the kept file')
    const call = api.calls.find((c) => c.method === 'enqueue')?.args[0] as Call | undefined
    expect(call?.attachments).toEqual([ref])
    // Sent: no longer kept.
    cleanup()
    mount('s1', main)
    expect(names()).toEqual([])
  })

  it('a kept file main no longer has says so, and the prompt waits until it is removed', async () => {
    const main = await closedWithFile(new File(['old'], 'swept.txt', { type: 'text/plain' }))
    main.attachments.clear()

    const { api } = mount('s1', main)
    expect(await screen.findByText(/swept\.txt is no longer in Parley's data folder: attach the file again/)).toBeTruthy()
    await send('Without it')
    expect(api.calls.some((c) => c.method === 'enqueue')).toBe(false)
    expect(input().value).toBe('Without it')
    // Gone from what is kept, too: the next reload doesn't bring it back.
    cleanup()
    mount('s1', main)
    expect(names()).toEqual([])
  })

  it("each chat's files are kept apart: after a reload, switching chats finds each chat's own", async () => {
    const first = mount('s1')
    await paste([new File(['1'], 'one.txt', { type: 'text/plain' })])
    await attached(1)
    first.show('s2')
    await paste([new File(['2'], 'two.txt', { type: 'text/plain' })])
    await attached(1)
    first.unmount()

    const { show } = mount('s2', first.api)
    expect(names()).toEqual(['two.txt'])
    show('s1')
    expect(names()).toEqual(['one.txt'])
    show('s3')
    expect(names()).toEqual([])
    show('s2')
    expect(names()).toEqual(['two.txt'])
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

  it('a prompt sent before the busy chat said so (its event still on the way) is not noted once main answers that it queued it', async () => {
    const { api } = mount()
    api.enqueueAnswer = async (call) => ({ runId: call.runId ?? 'minted', state: 'queued', position: 1 })
    fireEvent.change(input(), { target: { value: 'Right behind the first' } })
    await act(async () => {
      fireEvent.keyDown(input(), { key: 'Enter' })
    })
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
    const runId = (api.calls.find((c) => c.method === 'enqueue')?.args[0] as Call | undefined)?.runId
    expect(runId).toBeDefined()
    expect(promptsSentNow.has(runId ?? '')).toBe(false)
  })
})

describe('Composer: prompts go to main in the order they were sent', () => {
  it("C1: with no chat yet, a prompt sent once the window shows the new chat waits for the first, still waiting for main's answer to createSession", async () => {
    const api = new FakeParleyApi()
    let answer: (session: Session) => void = () => undefined
    // Main's answer to createSession is late: its session.created came first (up to 155 ms first, measured in browser mode).
    api.createSession = (options) => {
      api.calls.push({ method: 'createSession', args: [options] })
      return new Promise<Session>((resolve) => (answer = resolve))
    }
    const { show } = mount({ none: true }, api)
    const send = async (text: string): Promise<void> => {
      fireEvent.change(input(), { target: { value: text } })
      await act(async () => {
        fireEvent.keyDown(input(), { key: 'Enter' })
      })
    }
    await send('alpha')
    // The chat list has the new chat (from its event): the window shows it, and the next prompts go to it.
    show('made')
    await send('beta')
    await send('gamma')
    await act(async () => answer({ id: 'made', title: null, createdAt: 1, updatedAt: 1 }))
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
    const sent = api.calls.filter((c) => c.method === 'enqueue').map((c) => c.args[0] as Call)
    expect(sent.map((call) => call.prompt)).toEqual(['alpha', 'beta', 'gamma'])
    expect(sent.map((call) => call.sessionId)).toEqual(['made', 'made', 'made'])
  })
})

describe('Composer focus', () => {
  it("takes the focus when a chat is shown, in a task after React's effects, without asking the page to scroll, unless the focus moved meanwhile", async () => {
    const asked: (FocusOptions | undefined)[] = []
    const focus = HTMLTextAreaElement.prototype.focus
    HTMLTextAreaElement.prototype.focus = function (this: HTMLTextAreaElement, options?: FocusOptions) {
      asked.push(options)
      focus.call(this, options)
    }
    try {
      const nextTask = (): Promise<void> => act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)))
      const { show } = mount('s1')
      expect(document.activeElement).not.toBe(input())
      await nextTask()
      expect(document.activeElement).toBe(input())
      ;(document.activeElement as HTMLElement).blur()
      show('s2')
      await nextTask()
      expect(document.activeElement).toBe(input())
      expect(asked).toEqual([{ preventScroll: true }, { preventScroll: true }])
      // The focus moved before that task (a chat's title opened for renaming by the same double click): it stays.
      const rename = document.body.appendChild(document.createElement('input'))
      show('s3')
      rename.focus()
      await nextTask()
      expect(document.activeElement).toBe(rename)
      rename.remove()
    } finally {
      HTMLTextAreaElement.prototype.focus = focus
    }
  })

  it('Stop, pressed with the keyboard, leaves the focus in the box: the button goes once the answer stops', () => {
    const { activity } = mount()
    act(() => activity.take({ type: 'session.busy', sessionId: 's1', busy: true, seq: 1, at: 1 }))
    const stop = screen.getByTestId('stop-button')
    stop.focus()
    fireEvent.click(stop)
    act(() => activity.take({ type: 'session.busy', sessionId: 's1', busy: false, seq: 2, at: 2 }))
    expect(document.activeElement).toBe(input())
  })
})

describe('Composer drafts', () => {
  const typeInto = (text: string): void => {
    fireEvent.change(input(), { target: { value: text } })
  }

  it('each chat keeps its own unsent prompt: switching chats swaps the text, and coming back finds it', () => {
    const { show } = mount('s1')
    typeInto('half a thought for s1')
    show('s2')
    expect(input().value).toBe('')
    typeInto('another for s2')
    show('s1')
    expect(input().value).toBe('half a thought for s1')
    show('s2')
    expect(input().value).toBe('another for s2')
  })

  it('a reload (the composer mounted again) finds the unsent prompt where it was', () => {
    const first = mount('s1')
    typeInto('written before the reload')
    first.unmount()
    mount('s1')
    expect(input().value).toBe('written before the reload')
  })

  it('a sent prompt is no longer kept; a refused one comes back and is kept again', async () => {
    const { api, unmount } = mount('s1')
    typeInto('send me')
    await act(async () => {
      fireEvent.keyDown(input(), { key: 'Enter' })
    })
    expect(api.calls.some((call) => call.method === 'enqueue')).toBe(true)
    unmount()
    mount('s1')
    expect(input().value).toBe('')
    cleanup()

    const refused = mount('s1')
    refused.api.enqueueAnswer = () => Promise.reject(new ParleyError('Disconnected', 'main is away'))
    typeInto('keep me')
    await act(async () => {
      fireEvent.keyDown(input(), { key: 'Enter' })
    })
    expect(input().value).toBe('keep me')
    refused.unmount()
    mount('s1')
    expect(input().value).toBe('keep me')
  })

  it('typed with no chat yet, the text goes with the chat that is made, and the box with no chat is empty again', () => {
    const { show } = mount({ none: true })
    typeInto('for the chat to come')
    show('made')
    expect(input().value).toBe('for the chat to come')
    show(undefined)
    expect(input().value).toBe('')
    show('made')
    expect(input().value).toBe('for the chat to come')
  })

  it('an empty box with no chat does not wipe the draft of the chat it comes back to ("New chat" reusing an empty chat)', () => {
    const { show } = mount('s1')
    typeInto('kept in s1')
    show(undefined)
    expect(input().value).toBe('')
    show('s1')
    expect(input().value).toBe('kept in s1')
  })
})

describe('Composer: a prompt too long to go as text', () => {
  const long = `log line\n${'x'.repeat(limits.promptChars)}`
  const sentence = `This prompt is ${thousands(long.length)} characters; at most 200,000 go as text. Send it as a file instead?`

  it('says so under the box as soon as the draft is over the limit, and Send is refused with the same sentence', async () => {
    const { api } = mount()
    fireEvent.change(input(), { target: { value: 'short' } })
    expect(screen.queryByTestId('long-prompt')).toBeNull()
    fireEvent.change(input(), { target: { value: long } })
    expect(screen.getByTestId('long-prompt').textContent).toContain(sentence)
    await act(async () => {
      fireEvent.keyDown(input(), { key: 'Enter' })
    })
    expect(api.calls.filter((call) => call.method === 'enqueue')).toEqual([])
    expect(screen.getByTestId('long-prompt').textContent).toContain(sentence)
    expect(screen.queryByTestId('composer-error')).toBeNull()
    expect(input().value).toBe(long)
  })

  it('"Attach it as a file" makes the draft a pasted text.txt chip holding exactly it, clears the box, and sends it as a file', async () => {
    const { api } = mount()
    fireEvent.change(input(), { target: { value: long } })
    await act(async () => {
      fireEvent.click(screen.getByTestId('prompt-as-file'))
    })
    await attached(1)
    expect(input().value).toBe('')
    expect(screen.queryByTestId('long-prompt')).toBeNull()
    expect(screen.getAllByTestId('attachment-name').map((name) => name.textContent)).toEqual(['pasted text.txt'])
    await act(async () => {
      fireEvent.keyDown(input(), { key: 'Enter' })
    })
    const call = api.calls.find((c) => c.method === 'enqueue')?.args[0] as Call | undefined
    expect(call?.prompt).toBe('')
    const [ref] = call?.attachments ?? []
    expect(ref).toMatchObject({ name: 'pasted text.txt', kind: 'text' })
    const stored = ref && 'id' in ref ? api.attachments.get(ref.id) : undefined
    expect(stored && new TextDecoder().decode(Uint8Array.from(atob(stored.dataBase64), (c) => c.charCodeAt(0)))).toBe(long)
  })

  it('puts the text back in the box when main refuses the file: nothing is lost', async () => {
    const api = new FakeParleyApi()
    api.putAttachmentAnswer = () => Promise.reject(new Error('The disk is full.'))
    mount('s1', api)
    fireEvent.change(input(), { target: { value: long } })
    await act(async () => {
      fireEvent.click(screen.getByTestId('prompt-as-file'))
    })
    await waitFor(() => expect(input().value).toBe(long))
    expect(screen.getByTestId('long-prompt').textContent).toContain(sentence)
  })
})
