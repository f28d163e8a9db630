import { afterEach, describe, expect, it } from 'vitest'
import {
  messageText,
  ParleyError,
  type Call,
  type FinishReason,
  type ModelRef,
  type ParleyEvent,
  type RunComplete,
  type Usage
} from '../../../shared'
import { EventBroker } from '../events/event-broker'
import { ProviderError } from '../providers/errors'
import type { Provider, ProviderEvent, ProviderRequest } from '../providers/provider'
import { MemoryHistory } from './test-fixtures/memory-history'
import type { AttachmentsPort, JournaledRun, ModelPort, ReachabilityPort, RunJournal } from './ports'
import { MemoryAttachments } from './test-fixtures/memory-attachments'
import { SessionAgent } from './session-agent'

// ── Fakes ────────────────────────────────────────────────────────────────────────────────────────────────────────

interface Reply {
  tokens?: string[]
  reasoning?: string[]
  /** The stream waits here before its first token. */
  gate?: Promise<void>
  /** Thrown after `failAfter` tokens (0: before the first token). */
  error?: Error
  failAfter?: number
  finish?: FinishReason
  usage?: Usage
}

/** A token that streams as `text-was-reasoning` (a lone `</think>`, providers/think-tags.ts). */
const wasReasoning = '\u0000text-was-reasoning'

class Gate {
  readonly promise: Promise<void>
  release!: () => void
  constructor() {
    this.promise = new Promise<void>((resolve) => (this.release = resolve))
  }
}

/** A model that answers from a script, records each request, and says when a stream has been entered. */
class FakeModel implements Provider {
  readonly requests: ProviderRequest[] = []
  private enteredWaiters: { count: number; resolve: () => void }[] = []

  constructor(
    readonly id: string,
    private readonly script: (request: ProviderRequest, index: number) => Reply
  ) {}

  /** Resolves once `count` streams have been entered. */
  entered(count = 1): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve()
    return new Promise((resolve) => this.enteredWaiters.push({ count, resolve }))
  }

  async *stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    const index = this.requests.length
    this.requests.push(request)
    for (const waiter of this.enteredWaiters.filter((w) => w.count <= this.requests.length)) waiter.resolve()
    const reply = this.script(request, index)
    if (reply.gate) await abortableWait(reply.gate, signal)
    if (reply.error && !reply.failAfter) throw reply.error
    for (const text of reply.reasoning ?? []) yield { type: 'reasoning', text }
    let sent = 0
    for (const text of reply.tokens ?? []) {
      if (signal.aborted) throw abortError()
      yield text === wasReasoning ? { type: 'text-was-reasoning' } : { type: 'text', text }
      sent += 1
      if (reply.error && sent === reply.failAfter) throw reply.error
      await Promise.resolve()
    }
    if (reply.usage) yield { type: 'usage', usage: reply.usage }
    yield { type: 'finish', reason: reply.finish ?? 'end_turn' }
  }

  async listModels(): Promise<string[]> {
    return [this.id]
  }
}

function abortError(): Error {
  const error = new Error('aborted')
  error.name = 'AbortError'
  return error
}

function abortableWait(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError())
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(abortError()), { once: true })
    promise.then(resolve, reject)
  })
}

const ref = (model: string, extra: Partial<ModelRef> = {}): ModelRef => ({
  providerId: model,
  model,
  contextWindow: 8192,
  maxOutputTokens: 1024,
  ...extra
})

class RecordingJournal implements RunJournal {
  readonly log: string[] = []
  readonly pending = new Map<string, JournaledRun>()
  accepted(run: JournaledRun): void {
    this.log.push(`accepted ${run.runId}`)
    this.pending.set(run.runId, run)
  }
  started(runId: string): void {
    this.log.push(`started ${runId}`)
    this.pending.delete(runId)
  }
  ended(runId: string): void {
    this.log.push(`ended ${runId}`)
    this.pending.delete(runId)
  }
  /** What `written` answers: undefined (all written) unless a test holds the file's writes. */
  writing: Promise<void> | undefined
  written(): Promise<void> | undefined {
    this.log.push('written?')
    return this.writing
  }
}

interface Harness {
  agent: SessionAgent
  broker: EventBroker
  history: MemoryHistory
  large: FakeModel
  small: FakeModel | undefined
  events: ParleyEvent[]
  journal: RecordingJournal
  sessionId: string
  completes: () => RunComplete[]
  completesFor: (runId: string) => RunComplete[]
  waitForComplete: (runId: string) => Promise<RunComplete>
  assistantMessages: () => ReturnType<MemoryHistory['messages']>
  userMessages: () => ReturnType<MemoryHistory['messages']>
}

const agents: SessionAgent[] = []
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.shutdown()
})

function harness(options: {
  large: (request: ProviderRequest, index: number) => Reply
  /** The title model; a fake answering `Title` unless given, or absent with `withoutSmall`. */
  small?: (request: ProviderRequest, index: number) => Reply
  withoutSmall?: boolean
  models?: ModelPort
  reachability?: ReachabilityPort
  maxRetries?: number
  loadingTimeoutMs?: number
  systemPrompt?: string
  largeRef?: Partial<ModelRef>
  now?: () => number
  attachments?: AttachmentsPort
}): Harness {
  const broker = new EventBroker()
  const history = new MemoryHistory()
  history.attach(broker)
  const events: ParleyEvent[] = []
  broker.subscribe({ since: 0 }, (event) => {
    events.push(event)
  })
  const large = new FakeModel('large', options.large)
  const small = options.withoutSmall ? undefined : new FakeModel('small', options.small ?? (() => ({ tokens: ['Title'] })))
  const journal = new RecordingJournal()
  const agent = new SessionAgent({
    broker,
    history,
    journal,
    settings: () => ({
      systemPrompt: options.systemPrompt ?? '',
      maxRetries: options.maxRetries ?? 0,
      loadingTimeoutMs: options.loadingTimeoutMs ?? 600_000
    }),
    ...(options.reachability ? { reachability: options.reachability } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.attachments ? { attachments: options.attachments } : {}),
    models: options.models ?? {
      large: () => ({ provider: large, ref: ref('large', options.largeRef) }),
      small: () => (small ? { provider: small, ref: ref('small') } : undefined)
    }
  })
  agents.push(agent)
  const sessionId = agent.createSession().id
  const completes = () => events.flatMap((e) => (e.type === 'run.complete' ? [e.complete] : []))
  const completesFor = (runId: string) => completes().filter((c) => c.runId === runId)
  const waitForComplete = (runId: string) =>
    new Promise<RunComplete>((resolve) => {
      const found = completesFor(runId)[0]
      if (found) return resolve(found)
      const off = broker.subscribe({ since: broker.lastSeq }, (event) => {
        if (event.type === 'run.complete' && event.complete.runId === runId) {
          off()
          resolve(event.complete)
        }
      })
    })
  return {
    agent,
    broker,
    history,
    large,
    small,
    events,
    journal,
    sessionId,
    completes,
    completesFor,
    waitForComplete,
    assistantMessages: () => history.messages(sessionId).filter((m) => m.role === 'assistant'),
    userMessages: () => history.messages(sessionId).filter((m) => m.role === 'user')
  }
}

const call = (h: Harness, prompt: string, runId?: string): Call => ({
  sessionId: h.sessionId,
  prompt,
  ...(runId ? { runId } : {})
})

function refusal(fn: () => unknown): ParleyError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ParleyError) return error
    throw error
  }
  throw new Error('expected a ParleyError, but the call was accepted')
}

// ── The reference scenario ───────────────────────────────────────────────────────────────────────────────────

describe('the reference scenario (agent-semantics.md)', () => {
  it('a prompt sent while the session is busy runs as its own turn, with its own RunComplete', async () => {
    // 1. A large model that streams `done` and blocks its first stream on a gate; a small model that answers `title`.
    const gate = new Gate()
    const h = harness({
      large: (_request, index) => ({ tokens: ['done'], ...(index === 0 ? { gate: gate.promise } : {}) }),
      small: () => ({ tokens: ['title'] })
    })
    const { agent, sessionId } = h

    // 2. Start run-main, wait until the model has been entered: the session is busy.
    const main = agent.run({ sessionId, runId: 'run-main', prompt: 'main' })
    await h.large.entered(1)
    expect(agent.isSessionBusy(sessionId)).toBe(true)

    // 3. run-follow resolves to null at once, and one prompt is queued.
    await expect(agent.run({ sessionId, runId: 'run-follow', prompt: 'follow' })).resolves.toBeNull()
    expect(agent.queuedPrompts(sessionId)).toBe(1)

    // 4. Release the gate; run-main resolves without error.
    gate.release()
    const mainComplete = await main
    expect(mainComplete?.error).toBeUndefined()

    // 5. Within 5 s, RunComplete for both, neither failed nor cancelled; run-follow's text is `done`.
    const within5s = <T>(promise: Promise<T>) =>
      Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no RunComplete within 5 s')), 5000))])
    const [first, follow] = await within5s(Promise.all([h.waitForComplete('run-main'), h.waitForComplete('run-follow')]))
    for (const complete of [first, follow]) {
      expect(complete.error).toBeUndefined()
      expect(complete.cancelled).toBe(false)
    }
    expect(follow.text).toBe('done')
    expect(h.completesFor('run-main')).toHaveLength(1)
    expect(h.completesFor('run-follow')).toHaveLength(1)

    // 6. History: exactly two assistant messages, and exactly one user message `follow`.
    await agent.idle()
    expect(h.assistantMessages()).toHaveLength(2)
    expect(h.userMessages().filter((m) => messageText(m) === 'follow')).toHaveLength(1)
  })
})

// ── A. Accepting a call ──────────────────────────────────────────────────────────────────────────────────────

describe('A. accepting a call', () => {
  it('A1: an empty or whitespace prompt without attachments is refused with EmptyPrompt and changes nothing', () => {
    const h = harness({ large: () => ({ tokens: ['x'] }) })
    const before = h.broker.lastSeq
    for (const prompt of ['', '   ', '\n\t ']) {
      expect(refusal(() => h.agent.enqueue(call(h, prompt))).code).toBe('EmptyPrompt')
    }
    expect(h.broker.lastSeq).toBe(before)
    expect(h.agent.isSessionBusy(h.sessionId)).toBe(false)
    expect(h.large.requests).toHaveLength(0)
  })

  it('A1: a prompt with only an attachment is accepted', async () => {
    const attachments = new MemoryAttachments()
    const h = harness({ large: () => ({ tokens: ['seen'] }), attachments })
    const result = h.agent.enqueue({ sessionId: h.sessionId, prompt: '', attachments: [attachments.add('notes.txt', 'hi')] })
    expect(result.state).toBe('active')
    await expect(h.waitForComplete(result.runId)).resolves.toMatchObject({ text: 'seen' })
  })

  it('A1: a missing or unknown session is refused with SessionMissing and changes nothing', () => {
    const h = harness({ large: () => ({ tokens: ['x'] }) })
    const before = h.broker.lastSeq
    expect(refusal(() => h.agent.enqueue({ sessionId: 'nope', prompt: 'hi' })).code).toBe('SessionMissing')
    expect(refusal(() => h.agent.enqueue({ sessionId: '', prompt: 'hi' })).code).toBe('SessionMissing')
    expect(h.broker.lastSeq).toBe(before)
  })

  it('A1: run() rejects with the typed error', async () => {
    const h = harness({ large: () => ({ tokens: ['x'] }) })
    await expect(h.agent.run(call(h, ' '))).rejects.toMatchObject({ code: 'EmptyPrompt' })
  })

  it('A2: two calls in the same tick on an idle session give one active run and one queued run', async () => {
    const h = harness({ large: () => ({ tokens: ['a'] }) })
    const first = h.agent.enqueue(call(h, 'one'))
    const second = h.agent.enqueue(call(h, 'two'))
    expect([first.state, second.state]).toEqual(['active', 'queued'])
    expect(second.position).toBe(1)
    expect(h.agent.activeRunId(h.sessionId)).toBe(first.runId)
    await h.agent.idle()
    expect(h.large.requests).toHaveLength(2)
  })

  it('A3: a call on a busy session is queued: run() is null at once, nothing is written, only queue.changed', async () => {
    const gate = new Gate()
    const h = harness({ large: () => ({ tokens: ['a'], gate: gate.promise }), small: () => ({ tokens: ['t'] }) })
    void h.agent.run(call(h, 'first', 'r1'))
    await h.large.entered(1)
    // No title is made while the first answer runs (E2), so only the queued calls' events are measured.
    await new Promise((resolve) => setTimeout(resolve, 5))
    const seqBefore = h.broker.lastSeq
    const messagesBefore = h.history.messages(h.sessionId).length
    await expect(h.agent.run(call(h, 'second', 'r2'))).resolves.toBeNull()
    const accepted = h.agent.enqueue(call(h, 'third', 'r3'))
    expect(accepted).toEqual({ runId: 'r3', state: 'queued', position: 2 })
    const after = h.events.filter((e) => e.seq > seqBefore)
    expect(after.map((e) => e.type)).toEqual(['queue.changed', 'queue.changed'])
    expect(h.history.messages(h.sessionId)).toHaveLength(messagesBefore)
    expect(h.completes()).toHaveLength(0)
    gate.release()
    await h.agent.idle()
  })

  it('A4: a cancel that arrives before the assistant message exists still cancels the run', async () => {
    const h = harness({ large: () => ({ tokens: ['never'] }) })
    const { runId } = h.agent.enqueue(call(h, 'hi'))
    expect(h.agent.cancelRun(runId)).toBe(true)
    const complete = await h.waitForComplete(runId)
    expect(complete.cancelled).toBe(true)
    expect(h.large.requests).toHaveLength(0)
  })

  it('A5: busy only while a run is active; queued prompts are counted and listed in order', async () => {
    const gate = new Gate()
    const h = harness({ large: (_r, i) => ({ tokens: ['a'], ...(i === 0 ? { gate: gate.promise } : {}) }) })
    expect(h.agent.isSessionBusy(h.sessionId)).toBe(false)
    h.agent.enqueue(call(h, 'one', 'r1'))
    expect(h.agent.isSessionBusy(h.sessionId)).toBe(true)
    h.agent.enqueue(call(h, 'two', 'r2'))
    h.agent.enqueue(call(h, 'three', 'r3'))
    expect(h.agent.queuedPrompts(h.sessionId)).toBe(2)
    expect(h.agent.queuedPromptList(h.sessionId).map(({ runId, prompt }) => ({ runId, prompt }))).toEqual([
      { runId: 'r2', prompt: 'two' },
      { runId: 'r3', prompt: 'three' }
    ])
    expect(h.agent.queuedPromptList(h.sessionId)[0]?.enqueuedAt).toEqual(expect.any(Number))
    gate.release()
    await h.agent.idle()
    expect(h.agent.isSessionBusy(h.sessionId)).toBe(false)
    expect(h.agent.queuedPrompts(h.sessionId)).toBe(0)
  })

  it('A5: queued prompts alone do not make a session busy (they stay queued across a shutdown)', async () => {
    const gate = new Gate()
    const h = harness({ large: () => ({ tokens: ['a'], gate: gate.promise }) })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await h.large.entered(1)
    await h.agent.shutdown()
    expect(h.agent.isSessionBusy(h.sessionId)).toBe(false)
    expect(h.agent.queuedPrompts(h.sessionId)).toBe(1)
  })

  it('A6: a run that ends clears the active entry only if it is still its own', async () => {
    const gates = [new Gate(), new Gate()]
    const h = harness({ large: (_r, i) => ({ tokens: [`a${i}`], gate: gates[i]?.promise }) })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    gates[0]?.release()
    await h.waitForComplete('r1')
    await h.large.entered(2)
    // r1 has ended; r2 is active and r1's end did not clear it.
    expect(h.agent.activeRunId(h.sessionId)).toBe('r2')
    expect(h.agent.isSessionBusy(h.sessionId)).toBe(true)
    gates[1]?.release()
    await h.agent.idle()
    expect(h.agent.activeRunId(h.sessionId)).toBeUndefined()
  })

  it('A7: a call without a runId gets a fresh UUID; a reused runId is refused with DuplicateRunId', async () => {
    const gate = new Gate()
    const h = harness({ large: () => ({ tokens: ['a'], gate: gate.promise }) })
    const minted = h.agent.enqueue(call(h, 'one'))
    expect(minted.runId).toMatch(/^[0-9a-f-]{36}$/)
    h.agent.enqueue(call(h, 'two', 'mine'))
    const seq = h.broker.lastSeq
    expect(refusal(() => h.agent.enqueue(call(h, 'again', 'mine'))).code).toBe('DuplicateRunId')
    expect(refusal(() => h.agent.enqueue(call(h, 'active again', minted.runId))).code).toBe('DuplicateRunId')
    expect(h.broker.lastSeq).toBe(seq)
    gate.release()
    await h.agent.idle()
    // An ended run's id is still refused.
    expect(refusal(() => h.agent.enqueue(call(h, 'after', 'mine'))).code).toBe('DuplicateRunId')
  })
})

// ── B. A turn ────────────────────────────────────────────────────────────────────────────────────────────────

describe('B. a turn', () => {
  it('B1: the user message is committed before the model is called', async () => {
    let seenByModel: string[] = []
    const h = harness({
      large: () => {
        seenByModel = h.history.messages(h.sessionId).map((m) => `${m.role}:${messageText(m)}`)
        return { tokens: ['ok'] }
      }
    })
    await h.agent.run(call(h, 'hello'))
    expect(seenByModel).toEqual(['user:hello'])
  })

  it('B1, H1 across a crash: the model is asked only once the journal has written what the turn read', async () => {
    const h = harness({ large: () => ({ tokens: ['ok'] }) })
    const writes = new Gate()
    h.journal.writing = writes.promise
    h.agent.enqueue(call(h, 'hello', 'r1'))
    await new Promise((resolve) => setTimeout(resolve, 20))
    // The turn has read its history and waits for the file: a kill now can't take back what the model was sent.
    expect(h.journal.log).toContain('written?')
    expect(h.large.requests).toHaveLength(0)
    h.journal.writing = undefined
    writes.release()
    await h.waitForComplete('r1')
    expect(h.large.requests).toHaveLength(1)
  })

  it('B2: a queued turn reads history after the turn before it, with the system prompt first', async () => {
    const gate = new Gate()
    const h = harness({
      systemPrompt: 'Be brief.',
      large: (_r, i) => ({ tokens: [`answer${i}`], ...(i === 0 ? { gate: gate.promise } : {}) })
    })
    h.agent.enqueue(call(h, 'main', 'r1'))
    h.agent.enqueue(call(h, 'follow', 'r2'))
    gate.release()
    await h.agent.idle()
    expect(h.large.requests[1]).toMatchObject({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'main' },
        { role: 'assistant', content: 'answer0' },
        { role: 'user', content: 'follow' }
      ]
    })
  })

  it('B2: the oldest messages are dropped when the context window would overflow', async () => {
    const h = harness({
      largeRef: { contextWindow: 700, maxOutputTokens: 100 },
      large: () => ({ tokens: ['x'.repeat(400)] })
    })
    for (let i = 0; i < 5; i++) await h.agent.run(call(h, `question ${i} ${'y'.repeat(400)}`))
    const last = h.large.requests.at(-1) as ProviderRequest
    expect(last.messages.length).toBeLessThan(9)
    expect(last.messages[0]?.role).toBe('user')
    expect(last.messages.at(-1)?.content).toContain('question 4')
  })

  it('B3: the assistant message is created when the model starts to answer, not before', async () => {
    const gate = new Gate()
    const h = harness({ large: () => ({ tokens: ['hi'], gate: gate.promise }) })
    const done = h.agent.run(call(h, 'hello'))
    await h.large.entered(1)
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(h.assistantMessages()).toHaveLength(0)
    gate.release()
    await done
    expect(h.assistantMessages()).toHaveLength(1)
  })

  it('B3: deltas are coalesced to about one event every 30 ms per message, and nothing is lost', async () => {
    const tokens = Array.from({ length: 300 }, (_, i) => `t${i} `)
    const h = harness({ large: () => ({ tokens }) })
    const complete = await h.agent.run(call(h, 'go'))
    const deltas = h.events.filter((e) => e.type === 'message.delta')
    expect(deltas.length).toBeGreaterThanOrEqual(1)
    expect(deltas.length).toBeLessThan(20)
    const streamed = deltas.map((e) => (e.type === 'message.delta' ? (e.text ?? '') : '')).join('')
    expect(streamed).toBe(tokens.join(''))
    expect(complete?.text).toBe(tokens.join(''))
  })

  it('B3: deltas stream as they come and text and reasoning stream into one message', async () => {
    const h = harness({ large: () => ({ reasoning: ['think', 'ing'], tokens: ['an', 'swer'] }) })
    await h.agent.run(call(h, 'go'))
    const [message] = h.assistantMessages()
    expect(message?.parts).toEqual([
      { type: 'reasoning', text: 'thinking' },
      { type: 'text', text: 'answer' }
    ])
  })

  it('B3: text the provider says was thinking (a lone </think>) is kept as reasoning, and never sent back as the answer', async () => {
    const h = harness({
      large: (_request, index) => (index === 0 ? { tokens: ['The sum ', 'is 4.\n', wasReasoning, '\n\nIt is ', '**4**.'] } : { tokens: ['ok'] })
    })
    const complete = await h.agent.run(call(h, 'go'))
    expect(complete?.text).toBe('It is **4**.')
    const [message] = h.assistantMessages()
    expect(message?.parts).toEqual([
      { type: 'reasoning', text: 'The sum is 4.' },
      { type: 'text', text: 'It is **4**.' }
    ])
    await h.agent.run(call(h, 'again'))
    expect(h.large.requests[1]?.messages.map((m) => m.content)).toEqual(['go', 'It is **4**.', 'again'])
  })

  it('B3: a leading newline on the first text delta is dropped', async () => {
    const h = harness({ large: () => ({ tokens: ['\n', '\nHello', '\nworld'] }) })
    const complete = await h.agent.run(call(h, 'go'))
    expect(complete?.text).toBe('Hello\nworld')
  })

  it('B4: a finished message carries its finish reason, provider, model, usage and timings', async () => {
    const h = harness({
      large: () => ({ tokens: ['long'], finish: 'max_tokens', usage: { inputTokens: 12, outputTokens: 34 } })
    })
    await h.agent.run(call(h, 'go'))
    const [message] = h.assistantMessages()
    expect(message).toMatchObject({
      status: 'finished',
      finishReason: 'max_tokens',
      providerId: 'large',
      model: 'large',
      usage: { inputTokens: 12, outputTokens: 34 }
    })
    expect(message?.timings?.firstTokenMs).toEqual(expect.any(Number))
    expect(message?.timings?.durationMs).toBeGreaterThanOrEqual(message?.timings?.firstTokenMs ?? 0)
  })

  it('B5: exactly one RunComplete per run however it ends: finished, failed, cancelled, removed, cleared', async () => {
    const gate = new Gate()
    const h = harness({
      large: (request) => {
        const prompt = request.messages.at(-1)?.content
        if (prompt === 'fail') return { error: new ProviderError({ kind: 'server', status: 500, message: 'boom' }) }
        if (prompt === 'hold') return { tokens: ['partial'], gate: gate.promise }
        return { tokens: ['fine'] }
      }
    })
    await h.agent.run(call(h, 'ok', 'finished'))
    await h.agent.run(call(h, 'fail', 'failed'))
    h.agent.enqueue(call(h, 'hold', 'cancelled-active'))
    h.agent.enqueue(call(h, 'x', 'removed'))
    h.agent.enqueue(call(h, 'y', 'cleared'))
    await h.large.entered(3)
    expect(h.agent.cancelRun('removed')).toBe(true)
    expect(h.agent.clearQueue(h.sessionId)).toBe(1)
    h.agent.cancelRun('cancelled-active')
    await h.agent.idle()
    await new Promise((resolve) => setTimeout(resolve, 20))
    for (const runId of ['finished', 'failed', 'cancelled-active', 'removed', 'cleared']) {
      expect(h.completesFor(runId), runId).toHaveLength(1)
    }
    expect(h.completesFor('finished')[0]).toMatchObject({ text: 'fine', cancelled: false })
    expect(h.completesFor('failed')[0]?.error).toMatch(/500/)
    expect(h.completesFor('removed')[0]).toMatchObject({ cancelled: true, text: '' })
  })

  it('B6: run.complete comes after the active entry is cleared and the finished message is published', async () => {
    const h = harness({ large: () => ({ tokens: ['final'] }) })
    const seen: { busy: boolean; finished: boolean }[] = []
    h.broker.subscribe({ since: h.broker.lastSeq }, (event) => {
      if (event.type !== 'run.complete') return
      const message = h.history.messages(h.sessionId).find((m) => m.id === event.complete.messageId)
      seen.push({ busy: h.agent.isSessionBusy(h.sessionId), finished: message?.status === 'finished' })
    })
    await h.agent.run(call(h, 'go'))
    const finishedAt = h.events.findIndex((e) => e.type === 'message.finished' && e.message.role === 'assistant')
    const completeAt = h.events.findIndex((e) => e.type === 'run.complete')
    expect(finishedAt).toBeGreaterThan(-1)
    expect(completeAt).toBeGreaterThan(finishedAt)
    expect(seen).toEqual([{ busy: false, finished: true }])
  })
})

// ── C. The queue drains ──────────────────────────────────────────────────────────────────────────────────────

describe('C. the queue drains', () => {
  it('C1: a failed turn does not strand the queue', async () => {
    const gate = new Gate()
    const h = harness({
      large: (_r, i) =>
        i === 0
          ? { gate: gate.promise, error: new ProviderError({ kind: 'auth', status: 401, message: 'bad key' }) }
          : { tokens: [`ok${i}`] }
    })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    h.agent.enqueue(call(h, 'three', 'r3'))
    gate.release()
    await h.agent.idle()
    expect(h.completesFor('r1')[0]?.error).toBeTruthy()
    expect(h.completesFor('r2')[0]).toMatchObject({ text: 'ok1' })
    expect(h.completesFor('r3')[0]).toMatchObject({ text: 'ok2' })
  })

  it('C1: a turn cancelled on its own lets the next queued prompt run', async () => {
    const gate = new Gate()
    const h = harness({ large: (_r, i) => ({ tokens: [`a${i}`], ...(i === 0 ? { gate: gate.promise } : {}) }) })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await h.large.entered(1)
    h.agent.cancelRun('r1')
    await h.agent.idle()
    expect(h.completesFor('r1')[0]?.cancelled).toBe(true)
    expect(h.completesFor('r2')[0]).toMatchObject({ text: 'a1', cancelled: false })
  })

  it('C2: each queued prompt is its own user message with its own answer, never folded into another turn', async () => {
    const gate = new Gate()
    const h = harness({
      large: (request, i) => ({
        tokens: [`re:${request.messages.at(-1)?.content}`],
        ...(i === 0 ? { gate: gate.promise } : {})
      })
    })
    const ids = ['r1', 'r2', 'r3', 'r4']
    ids.forEach((id, i) => h.agent.enqueue(call(h, `p${i}`, id)))
    gate.release()
    await h.agent.idle()
    expect(h.large.requests.map((r) => r.messages.at(-1)?.content)).toEqual(['p0', 'p1', 'p2', 'p3'])
    expect(h.userMessages().map(messageText)).toEqual(['p0', 'p1', 'p2', 'p3'])
    expect(h.assistantMessages().map(messageText)).toEqual(['re:p0', 're:p1', 're:p2', 're:p3'])
    expect(new Set(h.assistantMessages().map((m) => m.runId))).toEqual(new Set(ids))
  })

  it('C5: an error after the first token keeps the partial text, finishes as error, and the queue goes on', async () => {
    const h = harness({
      large: (_r, i) =>
        i === 0
          ? {
              tokens: ['part', 'ial', 'never'],
              error: new ProviderError({ kind: 'server', status: 500, message: 'upstream exploded' }),
              failAfter: 2
            }
          : { tokens: ['next'] }
    })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await h.agent.idle()
    const [failed] = h.assistantMessages()
    expect(failed).toMatchObject({ status: 'finished', finishReason: 'error' })
    expect(messageText(failed as never)).toBe('partial')
    expect(failed?.error).toMatch(/500/)
    expect(failed?.error).toMatch(/upstream exploded/)
    const complete = h.completesFor('r1')[0]
    expect(complete).toMatchObject({ text: 'partial', cancelled: false })
    expect(complete?.error).toBe(failed?.error)
    expect(h.completesFor('r2')[0]).toMatchObject({ text: 'next' })
  })
})

// ── C3, C4: offline and rate limits ─────────────────────────────────────────────────────────────────────────

/** Providers the test has marked down; the agent reports failures here, and the test brings them back. */
class FakeReachability implements ReachabilityPort {
  readonly down = new Set<string>()
  readonly reports: string[] = []
  readonly loadingReports: string[] = []
  readonly answers: string[] = []
  isReachable(providerId: string): boolean {
    return !this.down.has(providerId)
  }
  unreachable(providerId: string, detail: string): void {
    this.down.add(providerId)
    this.reports.push(detail)
  }
  loading(providerId: string, detail: string): void {
    this.down.add(providerId)
    this.loadingReports.push(detail)
  }
  answered(providerId: string): void {
    this.answers.push(providerId)
  }
  turnStopped(): void {}
}

const refused = () => new ProviderError({ kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:11434' })

describe('C3, C4: offline and rate limits', () => {
  it('C3: a connection that fails before the first token keeps no answer and puts the prompt back at the head, waiting', async () => {
    const reachability = new FakeReachability()
    let online = false
    const h = harness({ reachability, large: (request) => (online ? { tokens: [`re:${request.messages.at(-1)?.content}`] } : { error: refused() }) })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await h.agent.idle()

    expect(h.assistantMessages()).toHaveLength(0)
    expect(h.userMessages().map(messageText)).toEqual(['one'])
    expect(h.completes()).toHaveLength(0)
    expect(h.agent.isSessionBusy(h.sessionId)).toBe(false)
    expect(h.agent.queuedPromptList(h.sessionId).map(({ runId, state }) => [runId, state])).toEqual([
      ['r1', 'waiting'],
      ['r2', 'waiting']
    ])
    expect(h.agent.queuedPromptList(h.sessionId)[0]?.userMessageId).toBe(h.userMessages()[0]?.id)
    expect(reachability.reports[0]).toMatch(/ECONNREFUSED|reach/)

    // C3: a prompt sent while offline is accepted and waits the same way.
    expect(h.agent.enqueue(call(h, 'three', 'r3'))).toEqual({ runId: 'r3', state: 'waiting', position: 3 })
    expect(h.large.requests).toHaveLength(1)

    // The provider answers again: each prompt runs, in order, as its own turn, with one RunComplete each.
    online = true
    reachability.down.clear()
    h.agent.providerBack()
    await h.agent.idle()
    expect(h.userMessages().map(messageText)).toEqual(['one', 'two', 'three'])
    expect(h.assistantMessages().map(messageText)).toEqual(['re:one', 're:two', 're:three'])
    for (const runId of ['r1', 'r2', 'r3']) expect(h.completesFor(runId)).toHaveLength(1)
    expect(h.completesFor('r1')[0]).toMatchObject({ text: 're:one', cancelled: false })
  })

  it('C3: while the provider is down, a new prompt on an idle session waits without calling the model', async () => {
    const reachability = new FakeReachability()
    reachability.down.add('large')
    const h = harness({ reachability, large: () => ({ tokens: ['back'] }) })
    expect(h.agent.enqueue(call(h, 'offline prompt', 'r1'))).toEqual({ runId: 'r1', state: 'waiting', position: 1 })
    expect(h.agent.isSessionBusy(h.sessionId)).toBe(false)
    expect(h.large.requests).toHaveLength(0)
    reachability.down.clear()
    h.agent.providerBack()
    await expect(h.waitForComplete('r1')).resolves.toMatchObject({ text: 'back' })
  })

  it('C3: a waiting prompt can be removed; one already in history gets its cancelled answer (D5)', async () => {
    const reachability = new FakeReachability()
    const h = harness({ reachability, large: () => ({ error: refused() }) })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await h.agent.idle()
    expect(h.agent.cancelRun('r1')).toBe(true)
    expect(h.agent.cancelRun('r2')).toBe(true)
    expect(h.completesFor('r1')).toEqual([expect.objectContaining({ cancelled: true, messageId: expect.any(String) })])
    expect(h.completesFor('r2')).toEqual([{ runId: 'r2', sessionId: h.sessionId, text: '', cancelled: true }])
    expect(h.history.messages(h.sessionId).map((m) => [m.role, messageText(m), m.finishReason ?? null])).toEqual([
      ['user', 'one', null],
      ['assistant', '', 'canceled']
    ])
  })

  it('C3: without a reachability monitor, an unreachable provider fails the run with a readable error', async () => {
    const h = harness({ large: () => ({ error: refused() }) })
    const complete = await h.agent.run(call(h, 'hello'))
    expect(complete?.error).toMatch(/reach|ECONNREFUSED/i)
  })

  it('C4: a 429 before the first token is retried after retry-after, and the UI hears "retrying in N s"', async () => {
    let calls = 0
    const h = harness({
      maxRetries: 2,
      large: () =>
        ++calls === 1
          ? { error: new ProviderError({ kind: 'rate_limited', status: 429, retryAfterMs: 1000, message: 'slow down' }) }
          : { tokens: ['made it'] }
    })
    const complete = await h.agent.run(call(h, 'go', 'r1'))
    expect(complete).toMatchObject({ text: 'made it', cancelled: false })
    expect(complete?.error).toBeUndefined()
    const retrying = h.events.filter((e) => e.type === 'run.retrying')
    expect(retrying).toEqual([expect.objectContaining({ runId: 'r1', attempt: 1, retryInSeconds: 1, status: 429 })])
    expect(h.assistantMessages()).toHaveLength(1)
  })

  it('C4: after the configured retries it fails like C5, and a cancel during the wait stops at once', async () => {
    const busy = () => ({ error: new ProviderError({ kind: 'rate_limited', status: 429, retryAfterMs: 10, message: 'slow down' }) })
    const h = harness({ maxRetries: 2, large: busy })
    const complete = await h.agent.run(call(h, 'go'))
    expect(h.large.requests).toHaveLength(3)
    expect(complete?.error).toMatch(/429/)

    const waiting = harness({
      maxRetries: 5,
      large: () => ({ error: new ProviderError({ kind: 'rate_limited', status: 429, retryAfterMs: 60_000, message: 'later' }) })
    })
    const run = waiting.agent.run(call(waiting, 'go', 'w1'))
    await waiting.large.entered(1)
    while (!waiting.events.some((e) => e.type === 'run.retrying')) await new Promise((r) => setTimeout(r, 1))
    waiting.agent.cancelRun('w1')
    await expect(run).resolves.toMatchObject({ cancelled: true })
  })
})

const loadingModel = () => new ProviderError({ kind: 'server', status: 503, message: 'Loading model' })

describe('C6: a server that answers but is still loading the model', () => {
  it('C6: a 503 before the first token waits as loading, and runs when the server is ready', async () => {
    const reachability = new FakeReachability()
    let loading = true
    const h = harness({
      reachability,
      maxRetries: 3,
      large: (request) => (loading ? { error: loadingModel() } : { tokens: [`re:${request.messages.at(-1)?.content}`] })
    })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await h.agent.idle()

    // Exactly like C3: no answer kept, the prompt back at the head, waiting, and the queue behind it waiting too.
    expect(h.assistantMessages()).toHaveLength(0)
    expect(h.userMessages().map(messageText)).toEqual(['one'])
    expect(h.completes()).toHaveLength(0)
    expect(h.agent.queuedPromptList(h.sessionId).map(({ runId, state }) => [runId, state])).toEqual([
      ['r1', 'waiting'],
      ['r2', 'waiting']
    ])
    // Not C4: it was not retried on the spot, and the monitor heard "loading", not "unreachable".
    expect(h.large.requests).toHaveLength(1)
    expect(h.events.some((e) => e.type === 'run.retrying')).toBe(false)
    expect(reachability.reports).toEqual([])
    expect(reachability.loadingReports).toEqual(['The model server is still loading the model (503): Loading model.'])
    // While it loads, a new prompt waits without calling the model.
    expect(h.agent.enqueue(call(h, 'three', 'r3'))).toMatchObject({ state: 'waiting' })

    // Tried again while still loading: it waits again, and nothing is kept.
    reachability.down.clear()
    expect(h.agent.providerBack()).toBe(true)
    await h.agent.idle()
    expect(h.large.requests).toHaveLength(2)
    expect(h.assistantMessages()).toHaveLength(0)
    expect(h.userMessages().map(messageText)).toEqual(['one'])

    loading = false
    reachability.down.clear()
    h.agent.providerBack()
    await h.agent.idle()
    expect(h.userMessages().map(messageText)).toEqual(['one', 'two', 'three'])
    expect(h.assistantMessages().map(messageText)).toEqual(['re:one', 're:two', 're:three'])
    for (const runId of ['r1', 'r2', 'r3']) expect(h.completesFor(runId)).toEqual([expect.objectContaining({ cancelled: false })])
    expect(h.completes().some((c) => c.error)).toBe(false)
    // The turn that got its first token told the monitor the provider is back.
    expect(reachability.answers).toContain('large')
  })

  it('C6: after the loading limit, counted from the run\'s first "loading" answer, it fails like C5 and the queue goes on', async () => {
    const reachability = new FakeReachability()
    let clock = 1_000_000
    const h = harness({ reachability, now: () => clock, loadingTimeoutMs: 600_000, large: () => ({ error: loadingModel() }) })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await h.agent.idle()
    const tryAgainAt = async (at: number) => {
      clock = at
      reachability.down.clear()
      h.agent.providerBack()
      await h.agent.idle()
    }
    await tryAgainAt(1_000_000 + 300_000)
    await tryAgainAt(1_000_000 + 599_999)
    expect(h.completes()).toHaveLength(0)
    expect(h.assistantMessages()).toHaveLength(0)

    await tryAgainAt(1_000_000 + 600_000)
    expect(h.completesFor('r1')).toEqual([
      expect.objectContaining({ cancelled: false, error: 'The model server was still loading the model after 10 minutes: Loading model.' })
    ])
    const failed = h.assistantMessages()
    expect(failed.map((m) => [m.finishReason, m.error])).toEqual([
      ['error', 'The model server was still loading the model after 10 minutes: Loading model.']
    ])
    // C1: the next prompt runs; its own clock starts at its own first "loading" answer, so it waits.
    expect(h.completesFor('r2')).toEqual([])
    expect(h.agent.queuedPromptList(h.sessionId).map(({ runId, state }) => [runId, state])).toEqual([['r2', 'waiting']])
  })

  it('C6: without a reachability monitor, a 503 fails the run at once (nobody would wake it), not retried as C4', async () => {
    const h = harness({ maxRetries: 3, large: () => ({ error: loadingModel() }) })
    const complete = await h.agent.run(call(h, 'hello'))
    expect(h.large.requests).toHaveLength(1)
    expect(complete?.error).toBe('The model server returned an error (503): Loading model.')
  })

  it('C6: a 429 stays C4: retried with its retry-after, not waited for as loading', async () => {
    const reachability = new FakeReachability()
    let calls = 0
    const h = harness({
      reachability,
      maxRetries: 2,
      large: () =>
        ++calls === 1
          ? { error: new ProviderError({ kind: 'rate_limited', status: 429, retryAfterMs: 5, message: 'slow down' }) }
          : { tokens: ['ok'] }
    })
    await expect(h.agent.run(call(h, 'go'))).resolves.toMatchObject({ text: 'ok' })
    expect(reachability.loadingReports).toEqual([])
    expect(h.events.filter((e) => e.type === 'run.retrying')).toHaveLength(1)
  })
})

// ── G. Recovery after a restart ──────────────────────────────────────────────────────────────────────────────

describe('G. recovery after a restart', () => {
  it('G1: restored prompts run in their order, each as its own turn with one RunComplete', async () => {
    const h = harness({ large: (request) => ({ tokens: [`re:${request.messages.at(-1)?.content}`] }) })
    const at = Date.now()
    h.agent.restoreQueued([
      { runId: 'q1', sessionId: h.sessionId, prompt: 'one', enqueuedAt: at },
      { runId: 'q2', sessionId: h.sessionId, prompt: 'two', enqueuedAt: at + 1 },
      { runId: 'gone', sessionId: 'deleted-session', prompt: 'x', enqueuedAt: at + 2 }
    ])
    await h.agent.idle()
    expect(h.userMessages().map(messageText)).toEqual(['one', 'two'])
    expect(h.assistantMessages().map(messageText)).toEqual(['re:one', 're:two'])
    expect(h.completesFor('q1')).toHaveLength(1)
    expect(h.completesFor('q2')).toHaveLength(1)
    expect(h.completesFor('gone')).toHaveLength(0)
    expect(h.journal.log).toContain('ended gone')
    // A restored runId can't be reused.
    expect(refusal(() => h.agent.enqueue(call(h, 'again', 'q1'))).code).toBe('DuplicateRunId')
  })

  it('G1: a restored prompt whose user message is already in history is not written twice', async () => {
    const h = harness({ large: () => ({ tokens: ['answer'] }) })
    const user = h.broker.publish({
      type: 'message.created',
      message: { id: 'u1', sessionId: h.sessionId, runId: 'q1', role: 'user', parts: [{ type: 'text', text: 'hi' }], status: 'finished', createdAt: 1 }
    })
    h.agent.restoreQueued([{ runId: 'q1', sessionId: h.sessionId, prompt: 'hi', enqueuedAt: 1, userMessage: { id: 'u1', seq: user.seq } }])
    await h.agent.idle()
    expect(h.userMessages().map((m) => m.id)).toEqual(['u1'])
    expect(h.assistantMessages().map(messageText)).toEqual(['answer'])
  })

  it('G2: a run a crash cut off is finished interrupted with its text, and its RunComplete says "interrupted"', () => {
    const h = harness({ large: () => ({ tokens: ['x'] }) })
    const streaming = {
      id: 'm1',
      sessionId: h.sessionId,
      runId: 'r1',
      role: 'assistant' as const,
      parts: [{ type: 'text' as const, text: 'half an ans' }],
      status: 'streaming' as const,
      createdAt: 1
    }
    h.broker.publish({ type: 'message.created', message: streaming })
    h.agent.finishInterrupted({ runId: 'r1', sessionId: h.sessionId, prompt: 'p', enqueuedAt: 1 }, streaming)
    expect(h.assistantMessages()).toEqual([expect.objectContaining({ id: 'm1', status: 'finished', finishReason: 'interrupted' })])
    expect(messageText(h.assistantMessages()[0] as never)).toBe('half an ans')
    expect(h.completesFor('r1')).toEqual([
      { runId: 'r1', sessionId: h.sessionId, messageId: 'm1', text: 'half an ans', error: 'interrupted', cancelled: false }
    ])
  })

  it('G2: a run cut off before the model answered gets an empty interrupted answer after its user message', () => {
    const h = harness({ large: () => ({ tokens: ['x'] }) })
    const user = h.broker.publish({
      type: 'message.created',
      message: { id: 'u1', sessionId: h.sessionId, runId: 'r1', role: 'user', parts: [{ type: 'text', text: 'p' }], status: 'finished', createdAt: 1 }
    })
    h.agent.finishInterrupted({ runId: 'r1', sessionId: h.sessionId, prompt: 'p', enqueuedAt: 1, userMessage: { id: 'u1', seq: user.seq } }, undefined)
    expect(h.history.messages(h.sessionId).map((m) => [m.role, m.finishReason ?? null])).toEqual([
      ['user', null],
      ['assistant', 'interrupted']
    ])
    expect(h.completesFor('r1')[0]).toMatchObject({ error: 'interrupted', cancelled: false })
  })
})

// ── D. Cancelling ────────────────────────────────────────────────────────────────────────────────────────────

/** A model whose first stream sends some tokens and then stays open until it is aborted; later streams go to `after`. */
class HoldingModel implements Provider {
  readonly id = 'holding'
  readonly requests: ProviderRequest[] = []
  private entered: (() => void)[] = []
  constructor(
    private readonly tokens: string[],
    private readonly after: Provider
  ) {}
  streaming(): Promise<void> {
    return new Promise((resolve) => this.entered.push(resolve))
  }
  async *stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    if (this.requests.push(request) > 1) {
      yield* this.after.stream(request, signal)
      return
    }
    for (const text of this.tokens) yield { type: 'text', text }
    for (const resolve of this.entered.splice(0)) resolve()
    await abortableWait(new Promise<void>(() => undefined), signal)
  }
  async listModels(): Promise<string[]> {
    return []
  }
}

function holdingHarness(tokens: string[]) {
  const fallback = new FakeModel('after', () => ({ tokens: ['after'] }))
  const holding = new HoldingModel(tokens, fallback)
  const h = harness({
    large: () => ({}),
    models: {
      large: () => ({ provider: holding, ref: ref('holding') }),
      small: () => ({ provider: new FakeModel('small', () => ({ tokens: ['Title'] })), ref: ref('small') })
    }
  })
  return { h, holding, fallback }
}

describe('D. cancelling', () => {
  it('D1: cancel(session) aborts the active run, keeping its partial text, and clears the queue', async () => {
    const { h, holding, fallback } = holdingHarness(['par', 'tial'])
    const streaming = holding.streaming()
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    h.agent.enqueue(call(h, 'three', 'r3'))
    await streaming
    h.agent.cancel(h.sessionId)
    await h.agent.idle()
    expect(h.completesFor('r1')).toEqual([
      expect.objectContaining({ cancelled: true, text: 'partial', messageId: expect.any(String) })
    ])
    expect(h.completesFor('r2')).toEqual([expect.objectContaining({ cancelled: true })])
    expect(h.completesFor('r3')).toEqual([expect.objectContaining({ cancelled: true })])
    const [message] = h.assistantMessages()
    expect(message).toMatchObject({ status: 'finished', finishReason: 'canceled' })
    expect(messageText(message as never)).toBe('partial')
    expect(fallback.requests).toHaveLength(0)
    expect(h.agent.queuedPrompts(h.sessionId)).toBe(0)
  })

  it('D2: cancelRun on the active run cancels it alone and the queue goes on', async () => {
    const { h, holding, fallback } = holdingHarness(['x'])
    const streaming = holding.streaming()
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await streaming
    expect(h.agent.cancelRun('r1')).toBe(true)
    await h.agent.idle()
    expect(h.completesFor('r1')[0]?.cancelled).toBe(true)
    expect(h.completesFor('r2')[0]).toMatchObject({ cancelled: false, text: 'after' })
    expect(fallback.requests).toHaveLength(1)
  })

  it('D2: cancelRun on a queued run removes it before it reaches the model; an unknown run answers false', async () => {
    const gate = new Gate()
    const h = harness({ large: (request) => ({ tokens: ['a'], ...(request.messages.at(-1)?.content === 'one' ? { gate: gate.promise } : {}) }) })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    h.agent.enqueue(call(h, 'three', 'r3'))
    expect(h.agent.cancelRun('r2')).toBe(true)
    expect(h.completesFor('r2')).toEqual([{ runId: 'r2', sessionId: h.sessionId, text: '', cancelled: true }])
    expect(h.agent.queuedPromptList(h.sessionId).map((q) => q.runId)).toEqual(['r3'])
    expect(h.agent.cancelRun('no-such-run')).toBe(false)
    gate.release()
    await h.agent.idle()
    expect(h.large.requests.map((r) => r.messages.at(-1)?.content)).toEqual(['one', 'three'])
    expect(h.completesFor('r2')).toHaveLength(1)
  })

  it('D1, D2, D3: a removed prompt leaves the queue (queue.changed) before its RunComplete goes out', async () => {
    const gate = new Gate()
    const h = harness({ large: (_r, i) => ({ tokens: ['a'], ...(i === 0 ? { gate: gate.promise } : {}) }) })
    for (const [prompt, runId] of [['one', 'r1'], ['two', 'r2'], ['three', 'r3'], ['four', 'r4'], ['five', 'r5']] as const) {
      h.agent.enqueue(call(h, prompt, runId))
    }
    // Whoever hears a removed run's RunComplete must no longer see it queued, in the agent or in the last queue.changed.
    const problems: string[] = []
    let lastQueue: string[] = []
    h.broker.subscribe({ since: h.broker.lastSeq }, (event) => {
      if (event.type === 'queue.changed') lastQueue = event.queue.map((q) => q.runId)
      if (event.type !== 'run.complete' || !event.complete.cancelled) return
      const { runId } = event.complete
      if (lastQueue.includes(runId)) problems.push(`${runId}: RunComplete while the last queue.changed still lists it`)
      if (h.agent.queuedPromptList(h.sessionId).some((q) => q.runId === runId)) problems.push(`${runId}: still queued in the agent`)
    })
    h.agent.cancelRun('r2') // D2, one queued prompt
    expect(h.agent.clearQueue(h.sessionId)).toBe(3) // D3, the rest
    h.agent.enqueue(call(h, 'six', 'r6'))
    h.agent.cancel(h.sessionId) // D1, the active run and the queue
    gate.release()
    await h.agent.idle()
    expect(problems).toEqual([])
    expect(['r2', 'r3', 'r4', 'r5', 'r6'].map((runId) => h.completesFor(runId).length)).toEqual([1, 1, 1, 1, 1])
  })

  it('D3: clearQueue removes every queued prompt with a cancelled RunComplete, and the active run goes on', async () => {
    const gate = new Gate()
    const h = harness({ large: (_r, i) => ({ tokens: ['kept'], ...(i === 0 ? { gate: gate.promise } : {}) }) })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    h.agent.enqueue(call(h, 'three', 'r3'))
    expect(h.agent.clearQueue(h.sessionId)).toBe(2)
    expect(h.completesFor('r2')[0]?.cancelled).toBe(true)
    expect(h.completesFor('r3')[0]?.cancelled).toBe(true)
    gate.release()
    await h.agent.idle()
    expect(h.completesFor('r1')[0]).toMatchObject({ cancelled: false, text: 'kept' })
    expect(h.large.requests).toHaveLength(1)
  })

  it('D4: a cancel never touches a prompt accepted after it', async () => {
    const { h, holding, fallback } = holdingHarness(['x'])
    const streaming = holding.streaming()
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await streaming
    h.agent.cancel(h.sessionId)
    // The cancelled run is still settling; this prompt arrives after the cancel.
    const later = h.agent.enqueue(call(h, 'later', 'r3'))
    expect(later.state).toBe('queued')
    await h.agent.idle()
    expect(h.completesFor('r1')[0]?.cancelled).toBe(true)
    expect(h.completesFor('r2')[0]?.cancelled).toBe(true)
    expect(h.completesFor('r3')[0]).toMatchObject({ cancelled: false, text: 'after' })
    expect(fallback.requests.map((r) => r.messages.at(-1)?.content)).toEqual(['later'])
  })

  it('D5: a cancel before the model answered leaves the user message and an empty canceled assistant message', async () => {
    const gate = new Gate()
    const h = harness({ large: () => ({ tokens: ['late'], gate: gate.promise }) })
    h.agent.enqueue(call(h, 'hello', 'r1'))
    await h.large.entered(1)
    h.agent.cancelRun('r1')
    await h.agent.idle()
    const messages = h.history.messages(h.sessionId)
    expect(messages.map((m) => [m.role, messageText(m), m.finishReason ?? null])).toEqual([
      ['user', 'hello', null],
      ['assistant', '', 'canceled']
    ])
    expect(h.completesFor('r1')).toEqual([expect.objectContaining({ cancelled: true, text: '' })])
  })

  it('D6: shutdown aborts active runs, keeps queued prompts journaled without a RunComplete, and refuses new calls', async () => {
    const { h, holding } = holdingHarness(['half'])
    const streaming = holding.streaming()
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    h.agent.enqueue(call(h, 'three', 'r3'))
    await streaming
    await h.agent.shutdown()
    expect(h.completesFor('r1')).toEqual([expect.objectContaining({ error: 'interrupted', text: 'half' })])
    expect(h.assistantMessages()[0]?.finishReason).toBe('interrupted')
    expect(h.completesFor('r2')).toHaveLength(0)
    expect(h.completesFor('r3')).toHaveLength(0)
    expect([...h.journal.pending.keys()]).toEqual(['r2', 'r3'])
    expect(refusal(() => h.agent.enqueue(call(h, 'too late'))).code).toBe('ShuttingDown')
  })
})

// ── E. Titles ────────────────────────────────────────────────────────────────────────────────────────────────

describe('E. titles', () => {
  const titled = (h: Harness) => h.events.flatMap((e) => (e.type === 'session.titled' ? [e.title] : []))

  it('E1: the first user message makes a title with the small model, at most 40 tokens, stripped', async () => {
    const h = harness({
      large: () => ({ tokens: ['answer'] }),
      small: () => ({ tokens: ['<think>hmm\nlet me see</think>', '\nTrip ', 'to\nLisbon'] })
    })
    await h.agent.run(call(h, 'Plan a trip to Lisbon'))
    await h.agent.run(call(h, 'and Porto?'))
    await h.agent.idle()
    expect(titled(h)).toEqual(['Trip to Lisbon'])
    expect(h.small?.requests).toHaveLength(1)
    expect(h.small?.requests[0]?.maxTokens).toBe(40)
    expect(h.small?.requests[0]?.messages.at(-1)?.content).toBe('Plan a trip to Lisbon')
    expect(h.history.session(h.sessionId)?.title).toBe('Trip to Lisbon')
    expect(h.large.requests).toHaveLength(2)
  })

  it('E1: without a small model the large one makes the title', async () => {
    const h = harness({
      withoutSmall: true,
      large: (request) => ({ tokens: [request.maxTokens === 40 ? 'Big title' : 'answer'] })
    })
    await h.agent.run(call(h, 'hello there'))
    await h.agent.idle()
    expect(titled(h)).toEqual(['Big title'])
  })

  it('E1: an empty answer or a failure gives the first 50 characters of the prompt and an ellipsis', async () => {
    const prompt = 'Explain the difference between a monad and a monoid, with examples in Haskell'
    const empty = harness({ large: () => ({ tokens: ['ok'] }), small: () => ({ tokens: ['<think>only thinking</think>\n'] }) })
    await empty.agent.run(call(empty, prompt))
    await empty.agent.idle()
    expect(titled(empty)).toEqual([`${prompt.slice(0, 50)}…`])

    const failing = harness({
      large: () => ({ tokens: ['ok'] }),
      small: () => ({ error: new ProviderError({ kind: 'unreachable', message: 'down' }) })
    })
    await failing.agent.run(call(failing, 'short prompt'))
    await failing.agent.idle()
    expect(titled(failing)).toEqual(['short prompt…'])
  })

  it('E1: a session that already has a title, or is named while the title is made, keeps its name', async () => {
    const gate = new Gate()
    const h = harness({ large: () => ({ tokens: ['ok'] }), small: () => ({ tokens: ['Model title'], gate: gate.promise }) })
    await h.agent.run(call(h, 'hello'))
    h.agent.renameSession(h.sessionId, 'My name')
    gate.release()
    await h.agent.idle()
    // Only the user's name is published; the model's title, arriving later, is dropped.
    expect(titled(h)).toEqual(['My name'])
    expect(h.history.session(h.sessionId)?.title).toBe('My name')

    const named = h.agent.createSession({ title: 'Given' })
    await h.agent.run({ sessionId: named.id, prompt: 'hi' })
    await h.agent.idle()
    expect(h.small?.requests).toHaveLength(1)
  })

  it('E2: the title model is not called until the first answer has finished', async () => {
    const gate = new Gate()
    const h = harness({ large: () => ({ tokens: ['first', ' answer'], gate: gate.promise }) })
    h.agent.enqueue(call(h, 'hello', 'r1'))
    await h.large.entered(1)
    for (let i = 0; i < 20; i++) await Promise.resolve()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(h.small?.requests).toHaveLength(0)
    gate.release()
    await h.agent.idle()
    expect(h.small?.requests).toHaveLength(1)
    const order = h.events.flatMap((e) =>
      e.type === 'message.finished' && e.message.role === 'assistant' ? ['answer finished'] : e.type === 'session.titled' ? ['titled'] : []
    )
    expect(order).toEqual(['answer finished', 'titled'])
  })

  it('E2: with prompts queued behind the first answer, the title waits until the session has no turn left', async () => {
    const gates = [new Gate(), new Gate()]
    const h = harness({ large: (_request, index) => ({ tokens: [`a${index}`], gate: gates[index]?.promise }) })
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await h.large.entered(1)
    gates[0]?.release()
    await h.waitForComplete('r1')
    await h.large.entered(2)
    await new Promise((resolve) => setTimeout(resolve, 20))
    // The first answer is done, but the session still answers `two`: the title would compete with it.
    expect(h.small?.requests).toHaveLength(0)
    gates[1]?.release()
    await h.agent.idle()
    expect(h.small?.requests.map((r) => r.messages.at(-1)?.content)).toEqual(['one'])
    const seqOf = (match: (e: ParleyEvent) => boolean) => h.events.find(match)?.seq ?? 0
    expect(seqOf((e) => e.type === 'session.titled')).toBeGreaterThan(
      seqOf((e) => e.type === 'run.complete' && e.complete.runId === 'r2')
    )
  })

  it('E3: a fallback title is replaced by a model title after the next answer that succeeds', async () => {
    const prompt = 'Explain the difference between a monad and a monoid, with examples in Haskell'
    let titleCalls = 0
    let answers = 0
    const h = harness({
      large: () => (++answers === 2 ? { error: new ProviderError({ kind: 'server', status: 500, message: 'boom' }) } : { tokens: ['ok'] }),
      small: () => (++titleCalls === 1 ? { error: new ProviderError({ kind: 'unreachable', message: 'down' }) } : { tokens: ['Monads and monoids'] })
    })
    await h.agent.run(call(h, prompt))
    await h.agent.idle()
    expect(h.agent.sessions.get(h.sessionId)).toMatchObject({ title: `${prompt.slice(0, 50)}…`, titleSource: 'fallback' })
    // An answer that fails replaces nothing.
    await h.agent.run(call(h, 'again'))
    await h.agent.idle()
    expect(h.small?.requests).toHaveLength(1)
    // The next answer that succeeds does, from the first prompt, whole.
    await h.agent.run(call(h, 'and once more'))
    await h.agent.idle()
    expect(h.small?.requests.map((r) => r.messages.at(-1)?.content)).toEqual([prompt, prompt])
    expect(h.events.flatMap((e) => (e.type === 'session.titled' ? [[e.title, e.source]] : []))).toEqual([
      [`${prompt.slice(0, 50)}…`, 'fallback'],
      ['Monads and monoids', 'model']
    ])
    expect(h.history.session(h.sessionId)).toMatchObject({ title: 'Monads and monoids', titleSource: 'model' })
    // A model title is never replaced.
    await h.agent.run(call(h, 'last one'))
    await h.agent.idle()
    expect(h.small?.requests).toHaveLength(2)
  })

  it('E3: a fallback title the user renamed is never replaced; a model title is never asked for again', async () => {
    const h = harness({ large: () => ({ tokens: ['ok'] }), small: () => ({ tokens: [''] }) })
    await h.agent.run(call(h, 'short prompt'))
    await h.agent.idle()
    expect(h.agent.sessions.get(h.sessionId)).toMatchObject({ title: 'short prompt…', titleSource: 'fallback' })
    h.agent.renameSession(h.sessionId, 'Mine')
    await h.agent.run(call(h, 'next'))
    await h.agent.idle()
    expect(h.small?.requests).toHaveLength(1)
    expect(h.agent.sessions.get(h.sessionId)).toMatchObject({ title: 'Mine', titleSource: 'user' })

    const modelTitled = harness({ large: () => ({ tokens: ['ok'] }) })
    await modelTitled.agent.run(call(modelTitled, 'one'))
    await modelTitled.agent.run(call(modelTitled, 'two'))
    await modelTitled.agent.idle()
    await modelTitled.agent.run(call(modelTitled, 'three'))
    await modelTitled.agent.idle()
    expect(modelTitled.small?.requests).toHaveLength(1)
    expect(modelTitled.agent.sessions.get(modelTitled.sessionId)).toMatchObject({ title: 'Title', titleSource: 'model' })
  })
})

// ── Sessions ─────────────────────────────────────────────────────────────────────────────────────────────────

describe('sessions', () => {
  it('deleting a session cancels its runs, each with one RunComplete, and later calls get SessionMissing', async () => {
    const { h, holding } = holdingHarness(['x'])
    const streaming = holding.streaming()
    h.agent.enqueue(call(h, 'one', 'r1'))
    h.agent.enqueue(call(h, 'two', 'r2'))
    await streaming
    h.agent.deleteSession(h.sessionId)
    await h.agent.idle()
    expect(h.completesFor('r1')[0]?.cancelled).toBe(true)
    expect(h.completesFor('r2')[0]?.cancelled).toBe(true)
    expect(h.events.some((e) => e.type === 'session.deleted')).toBe(true)
    expect(refusal(() => h.agent.enqueue(call(h, 'again'))).code).toBe('SessionMissing')
  })

  it('an idle session keeps no per-session state in the agent', async () => {
    const h = harness({ large: () => ({ tokens: ['a'] }) })
    h.agent.enqueue(call(h, 'one'))
    h.agent.enqueue(call(h, 'two'))
    expect(h.agent.busySessions()).toEqual([h.sessionId])
    await h.agent.idle()
    expect(h.agent.busySessions()).toEqual([])
  })
})

