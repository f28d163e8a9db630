// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import { useState, type JSX, type ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyError, type Call } from '../../../shared'
import { chipsOfRefs } from '../attachments/chip-list'
import { provideAttachmentServices } from '../attachments/services'
import { Thumbnails } from '../attachments/thumbnails'
import { VisionCheck } from '../attachments/vision-check'
import { ParleyProvider } from '../parley-context'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { freshDatabase } from '../testing/history-fixtures'
import { testServices } from '../testing/test-services'
import { NewChat } from './send-prompt'
import { useChatChips } from './use-chat-chips'
import { useChatDraft } from './use-chat-draft'
import { usePromptSend } from './use-prompt-send'

afterEach(() => {
  cleanup()
  localStorage.clear()
})

const image = { id: 'a'.repeat(64), name: 'cat.png', mimeType: 'image/png', size: 3, kind: 'image' as const }

/** The hook as the composer holds it, in chat `s1`, with main's answers from `api`; `tooLong`: Send is refused as too long. */
function composer(api = new FakeParleyApi(), tooLong = false) {
  const db = freshDatabase()
  const services = testServices({ api, db })
  const reject = (): Promise<never> => Promise.reject(new Error('not in this test'))
  provideAttachmentServices(api, {
    attach: { api, prepare: reject, keepThumbnail: reject },
    thumbnails: new Thumbnails(db, reject),
    vision: new VisionCheck(api),
    openImage: reject
  })
  const newChat = new NewChat(api)
  const wrapper = ({ children }: { children: ReactNode }): JSX.Element => <ParleyProvider services={services}>{children}</ParleyProvider>
  return renderHook(
    () => {
      const [draft, setDraft] = useChatDraft('s1')
      const [chips, dispatch] = useChatChips('s1')
      const [error, setError] = useState<string>()
      const refuseTooLong = (): boolean => tooLong
      const sending = usePromptSend({ sessionId: 's1', newChat, onSession: () => undefined, draft, setDraft, chips, dispatch, idle: true, refuseTooLong, setError })
      return { draft, setDraft, chips, dispatch, error, sending }
    },
    { wrapper }
  )
}

const settle = (): Promise<void> => act(() => new Promise<void>((resolve) => setTimeout(resolve, 20)))
const enqueued = (api: FakeParleyApi): Call[] => api.calls.filter((call) => call.method === 'enqueue').map((call) => call.args[0] as Call)

describe('usePromptSend', () => {
  it('sends the draft and clears the box at once; a refused prompt comes back with its chips and main says why', async () => {
    const api = new FakeParleyApi()
    api.enqueueAnswer = () => Promise.reject(new ParleyError('SessionBusy', 'The queue is full.'))
    const hook = composer(api)
    act(() => {
      hook.result.current.setDraft('Hello')
      hook.result.current.dispatch({ type: 'restored', chips: chipsOfRefs([{ ...image, kind: 'text', name: 'a.txt', mimeType: 'text/plain' }]) })
    })
    act(() => hook.result.current.sending.send())
    expect(hook.result.current.draft).toBe('')
    expect(hook.result.current.chips).toHaveLength(0)
    await settle()
    expect(enqueued(api).map((call) => call.prompt)).toEqual(['Hello'])
    expect(hook.result.current.draft).toBe('Hello')
    expect(hook.result.current.chips.map((chip) => chip.name)).toEqual(['a.txt'])
    expect(hook.result.current.error).toBe('The queue is full.')
  })

  it('sends nothing from an empty box, nor a draft refused as too long', async () => {
    const api = new FakeParleyApi()
    const hook = composer(api, true)
    act(() => hook.result.current.sending.send())
    act(() => hook.result.current.setDraft('long'))
    act(() => hook.result.current.sending.send())
    await settle()
    expect(enqueued(api)).toEqual([])
    expect(hook.result.current.draft).toBe('long')
  })

  it('images wait for "Send anyway" when the model may not read them, and go with it', async () => {
    const api = new FakeParleyApi()
    const hook = composer(api)
    act(() => hook.result.current.dispatch({ type: 'restored', chips: chipsOfRefs([image]) }))
    act(() => hook.result.current.sending.send())
    await waitFor(() => expect(hook.result.current.sending.warning).toMatch(/can see images\. Send an image anyway\?$/))
    expect(enqueued(api)).toEqual([])
    act(() => hook.result.current.sending.sendNow())
    await settle()
    expect(hook.result.current.sending.warning).toBeUndefined()
    expect(enqueued(api).map((call) => call.attachments)).toEqual([[image]])
  })

  it("the model's answer about images is dropped once the prompt changed meanwhile: nothing goes, nothing is asked", async () => {
    const api = new FakeParleyApi()
    const hook = composer(api)
    act(() => hook.result.current.dispatch({ type: 'restored', chips: chipsOfRefs([image]) }))
    act(() => {
      hook.result.current.sending.send()
      hook.result.current.setDraft('and a word')
    })
    await waitFor(() => expect(api.calls.some((call) => call.method === 'modelVision')).toBe(true))
    await settle()
    expect(hook.result.current.sending.warning).toBeUndefined()
    expect(enqueued(api)).toEqual([])
  })
})
