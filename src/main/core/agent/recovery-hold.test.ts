import { afterEach, describe, expect, it } from 'vitest'
import { messageText, type ParleyEvent, type RunComplete } from '../../../shared'
import { EventBroker } from '../events/event-broker'
import type { Provider, ProviderEvent, ProviderRequest } from '../providers/provider'
import type { JournaledRun, RunJournal } from './ports'
import { RecoveryHold } from './recovery-hold'
import { SessionAgent } from './session-agent'
import { MemoryHistory } from './test-fixtures/memory-history'

// A8: after a restart, recovered queued prompts start once a window has had the chance to withdraw them, at most 2 s.

/** A model that answers `re:<prompt>` and records the prompts it was asked. */
class EchoModel implements Provider {
  readonly id = 'large'
  readonly asked: string[] = []

  async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
    const prompt = request.messages.at(-1)?.content
    const text = typeof prompt === 'string' ? prompt : ''
    this.asked.push(text)
    await Promise.resolve()
    yield { type: 'text', text: `re:${text}` }
    yield { type: 'finish', reason: 'end_turn' }
  }

  async listModels(): Promise<string[]> {
    return [this.id]
  }
}

/** The journal's queued runs: what a next start would bring back (G1). */
class QueueJournal implements RunJournal {
  readonly queued = new Map<string, JournaledRun>()
  accepted(run: JournaledRun): void {
    this.queued.set(run.runId, run)
  }
  started(runId: string): void {
    this.queued.delete(runId)
  }
  ended(runId: string): void {
    this.queued.delete(runId)
  }
  written(): undefined {
    return undefined
  }
}

const agents: SessionAgent[] = []
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.shutdown()
})

function restarted(recoveryHoldMs: number) {
  const broker = new EventBroker()
  const history = new MemoryHistory()
  history.attach(broker)
  const events: ParleyEvent[] = []
  broker.subscribe({ since: 0 }, (event) => void events.push(event))
  const model = new EchoModel()
  const titles = new EchoModel()
  const journal = new QueueJournal()
  const agent = new SessionAgent({
    broker,
    history,
    journal,
    recoveryHoldMs,
    models: {
      large: () => ({ provider: model, ref: { providerId: 'large', model: 'large', contextWindow: 8192, maxOutputTokens: 1024 } }),
      // Titles (E1) are asked of a model of their own, so `asked` holds the chats' prompts only.
      small: () => ({ provider: titles, ref: { providerId: 'small', model: 'small', contextWindow: 8192, maxOutputTokens: 40 } })
    }
  })
  agents.push(agent)
  const chat = agent.createSession().id
  const other = agent.createSession().id
  const at = Date.now()
  const entry = (runId: string, sessionId = chat): JournaledRun => ({ runId, sessionId, prompt: runId, enqueuedAt: at })
  const completes = (): RunComplete[] => events.flatMap((e) => (e.type === 'run.complete' ? [e.complete] : []))
  /** The start's recovery: the journal holds the runs it brings back (it kept them from before the restart). */
  const restore = (entries: JournaledRun[]): void => {
    for (const run of entries) journal.accepted(run)
    agent.restoreQueued(entries)
  }
  return {
    agent,
    restore,
    model,
    journal,
    chat,
    other,
    entry,
    completes,
    completeOf: (runId: string) => completes().find((c) => c.runId === runId),
    answers: () => history.messages(chat).filter((m) => m.role === 'assistant').map(messageText),
    started: () => events.flatMap((e) => (e.type === 'run.started' ? [e.runId] : []))
  }
}

const tick = (ms = 30): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
/** Far longer than any test here waits: only the window's word ends the hold. */
const untilTheWindow = 60_000

describe('A8: the recovery hold', () => {
  it('A8: after a restart, recovered queued prompts start no turn until a window says it is ready; then they run in order', async () => {
    const r = restarted(untilTheWindow)
    r.restore([r.entry('one'), r.entry('two')])
    await tick()
    expect(r.model.asked).toEqual([])
    expect(r.agent.isSessionBusy(r.chat)).toBe(false)
    expect(r.agent.queuedPromptList(r.chat).map((q) => q.runId)).toEqual(['one', 'two'])

    r.agent.windowReady()
    await r.agent.idle()
    expect(r.model.asked).toEqual(['one', 'two'])
    expect(r.answers()).toEqual(['re:one', 're:two'])
    // A second window's word, or a reconnect's, changes nothing.
    r.agent.windowReady()
    expect(r.completes()).toHaveLength(2)
  })

  it('A8: with no window, the hold ends by itself after its limit, and the recovered prompts run', async () => {
    const r = restarted(200)
    const since = Date.now()
    r.restore([r.entry('one'), r.entry('two')])
    await tick(100)
    expect(r.model.asked).toEqual([])
    await expect.poll(() => r.completes().length, { timeout: 2_000, interval: 20 }).toBe(2)
    expect(r.model.asked).toEqual(['one', 'two'])
    expect(Date.now() - since).toBeGreaterThanOrEqual(190)
  })

  it("A8: a window's kept removal sent during the hold removes its prompt: it is never asked of the model", async () => {
    const r = restarted(untilTheWindow)
    r.restore([r.entry('removed'), r.entry('kept')])
    expect(r.agent.cancelRun('removed')).toBe(true)
    expect(r.completeOf('removed')).toMatchObject({ cancelled: true })
    expect(r.journal.queued.has('removed')).toBe(false)
    await tick()
    // The chat still holds for its other recovered prompt: the window may withdraw that one too.
    expect(r.model.asked).toEqual([])

    r.agent.windowReady()
    await r.agent.idle()
    expect(r.model.asked).toEqual(['kept'])
    expect(r.completes().filter((c) => c.runId === 'removed')).toHaveLength(1)
  })

  it('A8: a cancel, a clearQueue and a session delete during the hold work as they do otherwise', async () => {
    const r = restarted(untilTheWindow)
    const third = r.agent.createSession().id
    r.restore([r.entry('a1'), r.entry('a2'), r.entry('b1', r.other), r.entry('c1', third)])
    r.agent.cancel(r.chat)
    expect(r.agent.clearQueue(r.other)).toBe(1)
    r.agent.deleteSession(third)
    for (const runId of ['a1', 'a2', 'b1', 'c1']) expect(r.completeOf(runId)).toMatchObject({ cancelled: true })
    expect([...r.journal.queued.keys()]).toEqual([])
    expect(r.agent.busySessions()).toEqual([])

    r.agent.windowReady()
    await r.agent.idle()
    expect(r.model.asked).toEqual([])
    expect(r.completes()).toHaveLength(4)
  })

  it('A8: a prompt sent into a held chat queues behind the recovered ones and does not start the head; other chats are not held', async () => {
    const r = restarted(untilTheWindow)
    r.restore([r.entry('one'), r.entry('two')])
    expect(r.agent.enqueue({ sessionId: r.chat, runId: 'new', prompt: 'new' })).toEqual({ runId: 'new', state: 'queued', position: 3 })
    await tick()
    expect(r.model.asked).toEqual([])

    // A chat with nothing recovered answers at once, hold or not.
    expect(r.agent.enqueue({ sessionId: r.other, runId: 'elsewhere', prompt: 'elsewhere' }).state).toBe('active')
    await expect.poll(() => r.completeOf('elsewhere')).toBeDefined()
    expect(r.model.asked).toEqual(['elsewhere'])

    r.agent.windowReady()
    await r.agent.idle()
    expect(r.model.asked).toEqual(['elsewhere', 'one', 'two', 'new'])
  })

  it('A8: a chat whose recovered prompts were all withdrawn starts what was sent behind them at once', async () => {
    const r = restarted(untilTheWindow)
    r.restore([r.entry('removed')])
    r.agent.enqueue({ sessionId: r.chat, runId: 'new', prompt: 'new' })
    expect(r.agent.cancelRun('removed')).toBe(true)
    await expect.poll(() => r.completeOf('new')).toBeDefined()
    expect(r.model.asked).toEqual(['new'])
  })

  it('A8: a shutdown during the hold keeps the held prompts in the journal with no RunComplete (D6, G1), and stops the clock', async () => {
    const r = restarted(100)
    r.restore([r.entry('one'), r.entry('two')])
    await r.agent.shutdown()
    await tick(200)
    expect(r.model.asked).toEqual([])
    expect(r.completes()).toEqual([])
    expect([...r.journal.queued.keys()]).toEqual(['one', 'two'])
    r.agent.windowReady()
    await tick()
    expect(r.model.asked).toEqual([])
  })

  it('A8: a core no window reaches (hold 0, the default) starts its recovered prompts at once', async () => {
    const r = restarted(0)
    r.restore([r.entry('one')])
    expect(r.started()).toEqual(['one'])
    await r.agent.idle()
    expect(r.model.asked).toEqual(['one'])
  })

  it('A8: a start that brought nothing back holds nothing: a new prompt starts at once', () => {
    const r = restarted(untilTheWindow)
    r.restore([])
    expect(r.agent.enqueue({ sessionId: r.chat, runId: 'new', prompt: 'new' }).state).toBe('active')
  })
})

describe('RecoveryHold', () => {
  it('ends once: by the window, or by its clock, whichever comes first; never after dispose', async () => {
    let released = 0
    const byWindow = new RecoveryHold({ holdMs: 50, release: () => (released += 1) })
    byWindow.begin()
    byWindow.windowReady()
    byWindow.windowReady()
    await tick(100)
    expect(released).toBe(1)

    const byClock = new RecoveryHold({ holdMs: 20, release: () => (released += 1) })
    byClock.begin()
    await tick(60)
    expect(released).toBe(2)

    const disposed = new RecoveryHold({ holdMs: 20, release: () => (released += 1) })
    disposed.begin()
    disposed.dispose()
    disposed.windowReady()
    await tick(60)
    expect(released).toBe(2)
    expect(new RecoveryHold({ holdMs: 0, release: () => undefined }).holds).toBe(false)
  })
})
