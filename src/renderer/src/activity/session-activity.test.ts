import { describe, expect, it } from 'vitest'
import type { EventBody, ParleyEvent, QueuedPrompt } from '../../../shared'
import { queuedChips, SessionActivity, sessionRun, waitingInChat, waitingPromptCount } from './session-activity'

let seq = 0
function event(body: EventBody, at = ++seq, clock = 0): ParleyEvent {
  seq = Math.max(seq, at)
  return { ...body, seq: at, at: clock } as ParleyEvent
}

function queued(runId: string, state: QueuedPrompt['state'] = 'queued'): QueuedPrompt {
  return { runId, prompt: `prompt ${runId}`, enqueuedAt: 0, state }
}

describe('SessionActivity', () => {
  it('follows a run from start to complete', () => {
    const activity = new SessionActivity()
    activity.take(event({ type: 'run.started', runId: 'r1', sessionId: 's1' }))
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: true }))
    expect(sessionRun(activity.getSnapshot(), 's1')).toEqual({ busy: true, activeRunId: 'r1', queue: [] })

    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: false }))
    activity.take(event({ type: 'run.complete', complete: { runId: 'r1', sessionId: 's1', text: '', cancelled: false } }))
    expect(sessionRun(activity.getSnapshot(), 's1')).toEqual({ busy: false, activeRunId: undefined, queue: [] })
  })

  it('shows the queue in order, then this window’s prompts main has not placed yet', () => {
    const activity = new SessionActivity()
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: true }))
    activity.addPending('s1', { runId: 'mine', prompt: 'third', attachments: 2 })
    const withImage = { ...queued('a'), attachments: [{ id: 'a'.repeat(64), name: 'cat.png', mimeType: 'image/png', size: 3, kind: 'image' as const }] }
    activity.take(event({ type: 'queue.changed', sessionId: 's1', queue: [withImage, queued('b', 'waiting')] }))
    // Each chip counts its files (the paperclip count), from main's queue or from the prompt on its way.
    expect(queuedChips(activity.getSnapshot(), 's1')).toEqual([
      { runId: 'a', prompt: 'prompt a', state: 'queued', attachments: 1 },
      { runId: 'b', prompt: 'prompt b', state: 'waiting', attachments: 0 },
      { runId: 'mine', prompt: 'third', state: 'sending', attachments: 2 }
    ])

    // Main places it: the queue's own entry replaces the pending one, and stays when enqueue answers later.
    activity.take(event({ type: 'queue.changed', sessionId: 's1', queue: [queued('a'), queued('b'), queued('mine')] }))
    activity.enqueued({ runId: 'mine', state: 'queued', position: 3 })
    expect(queuedChips(activity.getSnapshot(), 's1').map((chip) => chip.runId)).toEqual(['a', 'b', 'mine'])
    expect(activity.getSnapshot().pending.size).toBe(0)
  })

  it('shows no chip for a prompt that starts at once', () => {
    const activity = new SessionActivity()
    activity.addPending('s1', { runId: 'now', prompt: 'hi' })
    expect(queuedChips(activity.getSnapshot(), 's1')).toEqual([])
    activity.enqueued({ runId: 'now', state: 'active', position: 0 })
    expect(activity.getSnapshot().pending.size).toBe(0)
  })

  it('drops a pending prompt once it starts or completes', () => {
    const activity = new SessionActivity()
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: true }))
    activity.addPending('s1', { runId: 'x', prompt: 'x' })
    activity.addPending('s1', { runId: 'y', prompt: 'y' })
    activity.take(event({ type: 'run.started', runId: 'x', sessionId: 's1' }))
    activity.take(event({ type: 'run.complete', complete: { runId: 'y', sessionId: 's1', text: '', cancelled: true } }))
    expect(activity.getSnapshot().pending.size).toBe(0)
  })

  it('lets neither an older status nor an older event overwrite newer state', () => {
    const activity = new SessionActivity()
    // An event newer than the status arrives before status() answers.
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: true }, 20))
    activity.seed({
      sessions: [
        { sessionId: 's1', busy: false, queue: [] },
        { sessionId: 's2', busy: true, activeRunId: 'r2', queue: [queued('q')] }
      ],
      providers: [{ providerId: 'ollama', reachable: false }],
      lastSeq: 15
    })
    expect(sessionRun(activity.getSnapshot(), 's1').busy).toBe(true)
    expect(sessionRun(activity.getSnapshot(), 's2')).toMatchObject({ busy: true, activeRunId: 'r2' })
    expect(activity.getSnapshot().providers.get('ollama')?.reachable).toBe(false)

    // Replayed events from before the status change nothing; later ones do.
    activity.take(event({ type: 'session.busy', sessionId: 's2', busy: false }, 10))
    expect(sessionRun(activity.getSnapshot(), 's2').busy).toBe(true)
    activity.take(event({ type: 'session.busy', sessionId: 's2', busy: false }, 21))
    expect(sessionRun(activity.getSnapshot(), 's2').busy).toBe(false)
    activity.take(event({ type: 'provider.status', providerId: 'ollama', reachable: true }, 22))
    expect(activity.getSnapshot().providers.get('ollama')?.reachable).toBe(true)
  })

  it('forgets a deleted session', () => {
    const activity = new SessionActivity()
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: true }))
    activity.addPending('s1', { runId: 'p', prompt: 'p' })
    activity.take(event({ type: 'session.deleted', sessionId: 's1' }))
    expect(activity.getSnapshot().sessions.has('s1')).toBe(false)
    expect(activity.getSnapshot().pending.has('s1')).toBe(false)
  })

  it('tells subscribers when the snapshot changes, and not otherwise', () => {
    const activity = new SessionActivity()
    let heard = 0
    activity.subscribe(() => (heard += 1))
    activity.take(event({ type: 'message.delta', sessionId: 's1', messageId: 'm', text: 'x' }))
    activity.settle('nothing')
    expect(heard).toBe(0)
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: true }))
    expect(heard).toBe(1)
  })

  it('C3: a prompt that already ran waits in the chat, not as a chip; the waiting are counted across chats', () => {
    const activity = new SessionActivity()
    const ran: QueuedPrompt = { ...queued('first', 'waiting'), userMessageId: 'u1' }
    activity.take(event({ type: 'queue.changed', sessionId: 's1', queue: [ran, queued('second', 'waiting')] }))
    activity.take(event({ type: 'queue.changed', sessionId: 's2', queue: [queued('third', 'waiting'), queued('fourth')] }))
    const snapshot = activity.getSnapshot()
    expect(queuedChips(snapshot, 's1')).toEqual([{ runId: 'second', prompt: 'prompt second', state: 'waiting', attachments: 0 }])
    expect(waitingInChat(snapshot, 's1')).toEqual([ran])
    // s2's head never ran (it was sent while Parley knew the server was down): it shows in the chat all the same.
    expect(waitingInChat(snapshot, 's2').map((item) => item.runId)).toEqual(['third'])
    expect(queuedChips(snapshot, 's2').map((chip) => chip.runId)).toEqual(['fourth'])
    expect(waitingPromptCount(snapshot)).toBe(3)
  })

  it('C3: the next prompt to run waits in the chat in every chat, and only while nothing is answering there', () => {
    const activity = new SessionActivity()
    activity.take(event({ type: 'queue.changed', sessionId: 's1', queue: [queued('a', 'waiting'), queued('b', 'waiting')] }))
    expect(waitingInChat(activity.getSnapshot(), 's1').map((item) => item.runId)).toEqual(['a'])
    expect(queuedChips(activity.getSnapshot(), 's1').map((chip) => chip.runId)).toEqual(['b'])
    // A queued (not waiting) head is a chip: it runs when the answer before it is done.
    activity.take(event({ type: 'queue.changed', sessionId: 's2', queue: [queued('c'), queued('d', 'waiting')] }))
    expect(waitingInChat(activity.getSnapshot(), 's2')).toEqual([])
    // While the session answers, its waiting head is not where the next answer goes: it stays a chip.
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: true }))
    expect(waitingInChat(activity.getSnapshot(), 's1')).toEqual([])
    expect(queuedChips(activity.getSnapshot(), 's1').map((chip) => chip.runId)).toEqual(['a', 'b'])
  })

  it('C4: keeps when a rate-limited run tries again, until it completes or another run starts', () => {
    const activity = new SessionActivity()
    activity.take(event({ type: 'run.started', runId: 'r1', sessionId: 's1' }))
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: true }))
    const detail = 'The model server is rate limiting requests (429).'
    activity.take(event({ type: 'run.retrying', runId: 'r1', sessionId: 's1', attempt: 1, retryInSeconds: 2, detail }, undefined, 5_000))
    expect(sessionRun(activity.getSnapshot(), 's1').retry).toEqual({ runId: 'r1', attempt: 1, retryAt: 7_000, detail })

    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: false }))
    activity.take(event({ type: 'run.complete', complete: { runId: 'r1', sessionId: 's1', text: '', cancelled: false } }))
    expect(sessionRun(activity.getSnapshot(), 's1').retry).toBeUndefined()

    activity.take(event({ type: 'run.retrying', runId: 'r2', sessionId: 's1', attempt: 1, retryInSeconds: 1, detail }))
    activity.take(event({ type: 'run.started', runId: 'r3', sessionId: 's1' }))
    expect(sessionRun(activity.getSnapshot(), 's1').retry).toBeUndefined()
  })

  it('C6: keeps what main says while the active run waits on its model being loaded into memory, until the run starts again or ends', () => {
    const activity = new SessionActivity()
    const detail = 'Ollama is loading llama3.2 into memory (the first answer after a start takes longer).'
    activity.take(event({ type: 'run.started', runId: 'r1', sessionId: 's1' }))
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: true }))
    activity.take(event({ type: 'run.loading', runId: 'r1', sessionId: 's1', detail }))
    expect(sessionRun(activity.getSnapshot(), 's1').loading).toEqual({ runId: 'r1', detail })

    activity.take(event({ type: 'run.complete', complete: { runId: 'r1', sessionId: 's1', text: 'hi', cancelled: false } }))
    expect(sessionRun(activity.getSnapshot(), 's1').loading).toBeUndefined()

    activity.take(event({ type: 'run.started', runId: 'r2', sessionId: 's1' }))
    activity.take(event({ type: 'run.loading', runId: 'r2', sessionId: 's1', detail }))
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: false }))
    expect(sessionRun(activity.getSnapshot(), 's1').loading).toBeUndefined()

    activity.take(event({ type: 'run.loading', runId: 'r3', sessionId: 's1', detail }))
    activity.take(event({ type: 'run.started', runId: 'r4', sessionId: 's1' }))
    expect(sessionRun(activity.getSnapshot(), 's1').loading).toBeUndefined()
  })

  it("C4, C6: the answer's first token ends what its run waited on, as main's status() says (the shared rule); a prompt's message does not", () => {
    const activity = new SessionActivity()
    const detail = 'Ollama is loading llama3.2 into memory (the first answer after a start takes longer).'
    const created = (role: 'user' | 'assistant'): ParleyEvent =>
      event({ type: 'message.created', message: { id: `m-${role}`, sessionId: 's1', runId: 'r1', role, parts: [], status: 'streaming', createdAt: 0 } })
    activity.take(event({ type: 'run.started', runId: 'r1', sessionId: 's1' }))
    activity.take(event({ type: 'session.busy', sessionId: 's1', busy: true }))
    activity.take(event({ type: 'run.retrying', runId: 'r1', sessionId: 's1', attempt: 1, retryInSeconds: 2, detail: 'Rate limited (429).' }))
    activity.take(event({ type: 'run.loading', runId: 'r1', sessionId: 's1', detail }))
    activity.take(created('user'))
    expect(sessionRun(activity.getSnapshot(), 's1')).toMatchObject({ retry: { attempt: 1 }, loading: { detail } })
    const before = activity.getSnapshot()
    activity.take(created('assistant'))
    expect(sessionRun(activity.getSnapshot(), 's1')).toMatchObject({ busy: true, activeRunId: 'r1', retry: undefined, loading: undefined })
    // Nothing left to end: the next answer's creation makes no new snapshot.
    const after = activity.getSnapshot()
    expect(after).not.toBe(before)
    activity.take(event({ type: 'message.created', message: { id: 'm-2', sessionId: 's1', runId: 'r1', role: 'assistant', parts: [], status: 'streaming', createdAt: 0 } }))
    expect(activity.getSnapshot()).toBe(after)
  })

  it('C4, C6: a window seeded from a status while the active run waits keeps its countdown and its loading sentence (their events are older than the status)', () => {
    const activity = new SessionActivity()
    const detail = 'Ollama is loading llama3.2 into memory (the first answer after a start takes longer).'
    const refusal = 'The model server is rate limiting requests (429).'
    activity.seed({
      sessions: [
        { sessionId: 's1', busy: true, activeRunId: 'r1', queue: [], loading: { runId: 'r1', detail } },
        { sessionId: 's2', busy: true, activeRunId: 'r2', queue: [], retry: { runId: 'r2', attempt: 2, retryAt: 9_000, detail: refusal, status: 429 } }
      ],
      providers: [],
      lastSeq: 40
    })
    expect(sessionRun(activity.getSnapshot(), 's1').loading).toEqual({ runId: 'r1', detail })
    expect(sessionRun(activity.getSnapshot(), 's2').retry).toEqual({ runId: 'r2', attempt: 2, retryAt: 9_000, detail: refusal, status: 429 })
    // The replayed events before the status change nothing; the run's end after it clears them.
    activity.take(event({ type: 'run.started', runId: 'r1', sessionId: 's1' }, 30))
    expect(sessionRun(activity.getSnapshot(), 's1').loading).toEqual({ runId: 'r1', detail })
    activity.take(event({ type: 'run.complete', complete: { runId: 'r1', sessionId: 's1', text: 'hi', cancelled: false } }, 41))
    expect(sessionRun(activity.getSnapshot(), 's1').loading).toBeUndefined()
    // A status without them: nothing kept.
    activity.seed({ sessions: [{ sessionId: 's2', busy: true, activeRunId: 'r2', queue: [] }], providers: [], lastSeq: 50 })
    expect(sessionRun(activity.getSnapshot(), 's2').retry).toBeUndefined()
  })

  it('C3: knows when main probes an unreachable provider next, from the status event', () => {
    const activity = new SessionActivity()
    activity.take(
      event({ type: 'provider.status', providerId: 'openai', reachable: false, retryInSeconds: 4, detail: 'refused' }, undefined, 1_000)
    )
    expect(activity.getSnapshot().providers.get('openai')).toMatchObject({ reachable: false, retryAt: 5_000, detail: 'refused' })
    activity.take(event({ type: 'provider.status', providerId: 'openai', reachable: true }))
    expect(activity.getSnapshot().providers.get('openai')).toMatchObject({ reachable: true, retryAt: undefined })
  })
})
