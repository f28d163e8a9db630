import { describe, expect, it } from 'vitest'
import { ParleyError, type Session } from '../../../shared'
import { queuedChips, SessionActivity } from '../activity/session-activity'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { PendingDeletes } from '../sessions/pending-deletes'
import { PromptOrder } from './prompt-order'
import { draftAfterRefusal, NewChat, sendPrompt } from './send-prompt'

describe('sendPrompt', () => {
  it('sends the chat’s deletions still within their Undo time before the prompt, so its turn never sees them', async () => {
    const api = new FakeParleyApi()
    const order: string[] = []
    const deletes = new PendingDeletes(() => undefined)
    // Main takes its time to answer the deletion.
    const slowDelete = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5)).then(() => void order.push('delete m1'))
    deletes.schedule({ kind: 'messages', id: 'm1', sessionId: 's1', messageId: 'm1' }, slowDelete)
    const first = sendPrompt({ api, activity: new SessionActivity(), deletes, newRunId: () => 'run-1' }, { sessionId: 's1', prompt: 'a' })
    const second = sendPrompt({ api, activity: new SessionActivity(), deletes, newRunId: () => 'run-2' }, { sessionId: 's1', prompt: 'b' })
    await Promise.all([first, second])
    order.push(...api.calls.map((call) => `${call.method} ${JSON.stringify(call.args[0])}`))
    expect(order).toEqual([
      'delete m1',
      'enqueue {"sessionId":"s1","runId":"run-1","prompt":"a"}',
      'enqueue {"sessionId":"s1","runId":"run-2","prompt":"b"}'
    ])
    deletes.commitAll()
  })

  it('enqueues with a runId minted here', async () => {
    const api = new FakeParleyApi()
    const activity = new SessionActivity()
    const outcome = await sendPrompt({ api, activity, newRunId: () => 'run-1' }, { sessionId: 's1', prompt: 'hello' })
    expect(outcome).toEqual({ ok: true, sessionId: 's1', result: { runId: 'run-1', state: 'active', position: 0 } })
    expect(api.calls).toEqual([{ method: 'enqueue', args: [{ sessionId: 's1', runId: 'run-1', prompt: 'hello' }] }])
    expect(activity.getSnapshot().pending.size).toBe(0)
  })

  it('sends the attachments as refs, and a prompt of only attachments', async () => {
    const api = new FakeParleyApi()
    const ref = { id: 'a'.repeat(64), name: 'cat.png', mimeType: 'image/png', size: 3, kind: 'image' as const }
    const outcome = await sendPrompt({ api, activity: new SessionActivity(), newRunId: () => 'run-1' }, { sessionId: 's1', prompt: '', attachments: [ref] })
    expect(outcome.ok).toBe(true)
    expect(api.calls).toEqual([{ method: 'enqueue', args: [{ sessionId: 's1', runId: 'run-1', prompt: '', attachments: [ref] }] }])
    const empty = await sendPrompt({ api, activity: new SessionActivity() }, { sessionId: 's1', prompt: ' ', attachments: [] })
    expect(empty).toEqual({ ok: false, sessionId: 's1', error: 'Write a prompt first.' })
  })

  it('an edit that removed every file says so (an empty list), and a plain prompt sends no list', async () => {
    const api = new FakeParleyApi()
    const deps = { api, activity: new SessionActivity(), newRunId: () => 'run-1' }
    await sendPrompt(deps, { sessionId: 's1', prompt: 'edited', attachments: [], editOf: 'u1' })
    await sendPrompt(deps, { sessionId: 's1', prompt: 'plain', attachments: [] })
    const calls = api.calls.map((call) => call.args[0])
    expect(calls).toEqual([
      { sessionId: 's1', runId: 'run-1', prompt: 'edited', attachments: [], editOf: 'u1' },
      { sessionId: 's1', runId: 'run-1', prompt: 'plain' }
    ])
  })

  it('creates a session first when there is none, and says so at once', async () => {
    const api = new FakeParleyApi()
    const created: string[] = []
    const outcome = await sendPrompt(
      { api, activity: new SessionActivity(), newRunId: () => 'run-1' },
      { sessionId: undefined, prompt: 'hello', onSession: (id) => created.push(id) }
    )
    expect(api.calls.map((call) => call.method)).toEqual(['createSession', 'enqueue'])
    expect(outcome.ok && outcome.sessionId).toBe(created[0])
  })

  it('two prompts sent before the first chat exists go to one chat, in order', async () => {
    const api = new FakeParleyApi()
    let runs = 0
    const deps = { api, activity: new SessionActivity(), newRunId: () => `run-${++runs}`, newChat: new NewChat(api) }
    const [first, second] = await Promise.all([
      sendPrompt(deps, { sessionId: undefined, prompt: 'first' }),
      sendPrompt(deps, { sessionId: undefined, prompt: 'second' })
    ])
    expect(api.calls.filter((call) => call.method === 'createSession')).toHaveLength(1)
    expect(first.sessionId).toBe(second.sessionId)
    const prompts = api.calls.filter((call) => call.method === 'enqueue').map((call) => (call.args[0] as { prompt: string }).prompt)
    expect(prompts).toEqual(['first', 'second'])

    // Once forgotten (the window shows the chat), a prompt with no chat makes a new one.
    deps.newChat.forget()
    const third = await sendPrompt(deps, { sessionId: undefined, prompt: 'third' })
    expect(third.sessionId).not.toBe(first.sessionId)
  })

  it('C1: in the window\'s line, a prompt to the new chat, sent before main answered that it made it, goes after the first', async () => {
    const api = new FakeParleyApi()
    let answer: (session: Session) => void = () => undefined
    api.createSession = () => new Promise<Session>((resolve) => (answer = resolve))
    const order = new PromptOrder()
    const deps = { api, activity: new SessionActivity(), newChat: new NewChat(api), order }
    const first = sendPrompt(deps, { sessionId: undefined, prompt: 'alpha' })
    // The window shows the chat already (its session.created came first) and forgets the chat being made.
    deps.newChat.forget()
    const second = sendPrompt(deps, { sessionId: 'made', prompt: 'beta' })
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(api.calls.filter((call) => call.method === 'enqueue')).toEqual([])
    answer({ id: 'made', title: null, createdAt: 1, updatedAt: 1 })
    await Promise.all([first, second])
    expect(api.calls.filter((call) => call.method === 'enqueue').map((call) => (call.args[0] as { prompt: string }).prompt)).toEqual(['alpha', 'beta'])
  })

  it('C1: a prompt whose chat could not be made lets the prompts behind it go; they wait for no answer of main', async () => {
    const api = new FakeParleyApi()
    let refuse: (error: Error) => void = () => undefined
    api.createSession = () => new Promise<Session>((_resolve, reject) => (refuse = reject))
    // Main never answers an enqueue here: the next prompt still goes once the one before has been sent.
    api.enqueueAnswer = () => new Promise(() => undefined)
    const order = new PromptOrder()
    const activity = new SessionActivity()
    const failed = sendPrompt({ api, activity, newChat: new NewChat(api), order }, { sessionId: undefined, prompt: 'alpha' })
    void sendPrompt({ api, activity, order }, { sessionId: 's1', prompt: 'beta' })
    void sendPrompt({ api, activity, order }, { sessionId: 's1', prompt: 'gamma' })
    refuse(new ParleyError('Disconnected', 'Parley is not connected.'))
    expect((await failed).ok).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(api.calls.filter((call) => call.method === 'enqueue').map((call) => (call.args[0] as { prompt: string }).prompt)).toEqual(['beta', 'gamma'])
  })

  it('a refused new chat is not kept: the next prompt asks again', async () => {
    const api = new FakeParleyApi()
    const create = api.createSession.bind(api)
    let refusals = 1
    api.createSession = (options) => (refusals-- > 0 ? Promise.reject(new Error('Disconnected')) : create(options))
    const deps = { api, activity: new SessionActivity(), newChat: new NewChat(api) }
    expect(await sendPrompt(deps, { sessionId: undefined, prompt: 'one' })).toMatchObject({ ok: false, error: 'Disconnected' })
    expect(await sendPrompt(deps, { sessionId: undefined, prompt: 'two' })).toMatchObject({ ok: true })
  })

  it('prompts sent while New chat opens a chat go to that chat, in order, and make none of their own', async () => {
    const api = new FakeParleyApi()
    const newChat = new NewChat(api)
    let open: (id: string) => void = () => undefined
    newChat.expect(new Promise((resolve) => (open = resolve)))
    const deps = { api, activity: new SessionActivity(), newChat }
    const one = sendPrompt(deps, { sessionId: undefined, prompt: 'one' })
    const two = sendPrompt(deps, { sessionId: undefined, prompt: 'two' })
    open('opened')
    expect([(await one).sessionId, (await two).sessionId]).toEqual(['opened', 'opened'])
    expect(api.calls.filter((call) => call.method === 'createSession')).toHaveLength(0)
    expect(api.calls.filter((call) => call.method === 'enqueue').map((call) => (call.args[0] as { prompt: string }).prompt)).toEqual(['one', 'two'])
  })

  it('a New chat main refused is not kept either: the next prompt with no chat makes one', async () => {
    const api = new FakeParleyApi()
    const newChat = new NewChat(api)
    const refused = Promise.reject(new Error('Disconnected'))
    newChat.expect(refused)
    await refused.catch(() => undefined)
    const deps = { api, activity: new SessionActivity(), newChat }
    expect(await sendPrompt(deps, { sessionId: undefined, prompt: 'one' })).toMatchObject({ ok: true })
    expect(api.calls.filter((call) => call.method === 'createSession')).toHaveLength(1)
  })

  it('shows a queued prompt as a chip before main answers, and keeps it when main queues it', async () => {
    const api = new FakeParleyApi()
    const activity = new SessionActivity()
    activity.take({ type: 'session.busy', sessionId: 's1', busy: true, seq: 1, at: 0 })
    let answer: (value: { runId: string; state: 'queued'; position: number }) => void = () => {}
    api.enqueueAnswer = () => new Promise((resolve) => (answer = resolve))

    const sending = sendPrompt({ api, activity, newRunId: () => 'run-2' }, { sessionId: 's1', prompt: 'next' })
    expect(queuedChips(activity.getSnapshot(), 's1')).toEqual([{ runId: 'run-2', prompt: 'next', state: 'sending', attachments: 0 }])
    answer({ runId: 'run-2', state: 'queued', position: 1 })
    await sending
    expect(queuedChips(activity.getSnapshot(), 's1').map((chip) => chip.runId)).toEqual(['run-2'])
  })

  it('reports a refusal and removes the chip', async () => {
    const api = new FakeParleyApi()
    const activity = new SessionActivity()
    api.enqueueAnswer = () => Promise.reject(new ParleyError('SessionMissing', 'There is no chat session with the id s9.'))
    const outcome = await sendPrompt({ api, activity }, { sessionId: 's9', prompt: 'hello' })
    expect(outcome).toEqual({ ok: false, sessionId: 's9', error: 'There is no chat session with the id s9.' })
    expect(activity.getSnapshot().pending.size).toBe(0)
  })

  it('sends nothing for a blank prompt', async () => {
    const api = new FakeParleyApi()
    const outcome = await sendPrompt({ api, activity: new SessionActivity() }, { sessionId: 's1', prompt: '  \n' })
    expect(outcome.ok).toBe(false)
    expect(api.calls).toEqual([])
  })
})

describe('draftAfterRefusal', () => {
  it('puts the refused prompt back, ahead of anything typed since', () => {
    expect(draftAfterRefusal('', 'refused')).toBe('refused')
    expect(draftAfterRefusal('new', 'refused')).toBe('refused\nnew')
  })
})
