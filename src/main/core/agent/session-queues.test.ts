import { describe, expect, it } from 'vitest'
import type { RunComplete } from '../../../shared'
import { EventBroker } from '../events/event-broker'
import type { Provider } from '../providers/provider'
import type { TurnResult } from './answer-writer'
import { noAttachments, noJournal, type ReachabilityPort } from './ports'
import { newRun, type Run } from './run'
import { RunCompletions } from './run-completions'
import { SessionDirectory } from './session-directory'
import { SessionQueues, type TurnsPort } from './session-queues'
import type { TurnOutcome, TurnStop } from './turn'

/** A turn the test ends by hand: it records the run and the stop it was given. */
interface HeldTurn {
  run: Run
  stop: TurnStop
  end: (outcome: TurnOutcome) => void
}

class HeldTurns implements TurnsPort {
  readonly held: HeldTurn[] = []

  take(run: Run, stop: TurnStop): Promise<TurnOutcome> {
    return new Promise((end) => this.held.push({ run, stop, end }))
  }

  answerWithout(): TurnResult {
    return { text: '', cancelled: true }
  }

  turn(index: number): HeldTurn {
    const turn = this.held[index]
    if (!turn) throw new Error(`no turn ${index} was taken`)
    return turn
  }
}

/** The queue asks the model only which provider it is (C3); the turns here are held by hand. */
const neverStreams: Provider = {
  id: 'p',
  stream: () => {
    throw new Error('the queue never streams')
  },
  listModels: () => Promise.resolve([])
}

function setup(options: { startsNoTurn?: boolean } = {}) {
  const broker = new EventBroker()
  const sessions = new SessionDirectory()
  sessions.add({ id: 's', title: 't', createdAt: 0, updatedAt: 0 })
  const turns = new HeldTurns()
  const reachable = { now: true }
  const reachability: ReachabilityPort = {
    isReachable: () => reachable.now,
    unreachable: () => (reachable.now = false),
    loading() {},
    answered() {},
    turnStopped() {}
  }
  const completes: RunComplete[] = []
  broker.subscribe({ since: 0 }, (event) => {
    if (event.type === 'run.complete') completes.push(event.complete)
  })
  const queues = new SessionQueues({
    broker,
    sessions,
    history: { place: () => undefined },
    models: { large: () => ({ provider: neverStreams, ref: { providerId: 'p', model: 'm', contextWindow: 8192, maxOutputTokens: 256 } }) },
    reachability,
    journal: noJournal,
    attachments: noAttachments,
    completions: new RunCompletions(broker, noJournal, 100),
    titles: { answerSucceeded() {}, sessionIdle() {} },
    turns,
    now: () => 0,
    newId: () => 'minted',
    ...options
  })
  return { broker, queues, turns, reachable, completes }
}

const done: TurnResult = { messageId: 'm', text: 'done', cancelled: false }

/** Lets the turn's end reach the queue (it awaits the turn's promise). */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

describe('SessionQueues: a run moves through its phases', () => {
  it('A4: the turn starts with the run already active, holding the very controller it is stopped by', () => {
    const { queues, turns } = setup()
    queues.accept({ sessionId: 's', runId: 'a', prompt: 'hi' }, undefined)
    const { run, stop } = turns.turn(0)
    expect(run.phase.state).toBe('active')
    expect(run.phase).toBe(stop)
    expect(queues.isSessionBusy('s')).toBe(true)
  })

  it('A2: the second call of a tick is queued; it becomes active with a controller of its own when the first is done', async () => {
    const { queues, turns } = setup()
    queues.accept({ sessionId: 's', runId: 'a', prompt: 'one' }, undefined)
    expect(queues.accept({ sessionId: 's', runId: 'b', prompt: 'two' }, undefined)).toEqual({ runId: 'b', state: 'queued', position: 1 })
    const first = turns.turn(0)
    first.end(done)
    await settle()
    expect(first.run.phase).toEqual({ state: 'done' })
    const second = turns.turn(1)
    expect(second.run.runId).toBe('b')
    expect(second.run.phase.state).toBe('active')
    expect(second.stop.controller).not.toBe(first.stop.controller)
  })

  it('C3: a turn that waits puts its run back at the head, waiting, with no controller; providerBack starts it afresh', async () => {
    const { queues, turns, reachable } = setup()
    queues.accept({ sessionId: 's', runId: 'a', prompt: 'hi' }, undefined)
    const first = turns.turn(0)
    first.end({ wait: 'unreachable', providerId: 'p', detail: 'refused' })
    await settle()
    expect(first.run.phase).toEqual({ state: 'waiting' })
    expect(queues.isSessionBusy('s')).toBe(false)
    expect(queues.queuedPromptList('s').map((q) => q.state)).toEqual(['waiting'])

    reachable.now = true
    expect(queues.providerBack()).toBe(true)
    const again = turns.turn(1)
    expect(again.run).toBe(first.run)
    expect(again.run.phase.state).toBe('active')
    expect(again.stop.controller).not.toBe(first.stop.controller)
  })

  it('D2, D6: a stop aborts the active phase once; the first reason stays', () => {
    const { queues, turns } = setup()
    queues.accept({ sessionId: 's', runId: 'a', prompt: 'hi' }, undefined)
    const { stop } = turns.turn(0)
    expect(queues.cancelRun('a')).toBe(true)
    expect(stop.controller.signal.aborted).toBe(true)
    expect(stop.stopReason).toBe('cancel')
    const settling = queues.close()
    expect(settling).toHaveLength(1)
    expect(stop.stopReason).toBe('cancel')
  })

  it('B5, B6: one RunComplete, heard with the session idle; a done run is forgotten', async () => {
    const { broker, queues, turns, completes } = setup()
    const busyWhenHeard: boolean[] = []
    broker.subscribe({ since: 0 }, (event) => {
      if (event.type === 'run.complete') busyWhenHeard.push(queues.isSessionBusy('s'))
    })
    queues.accept({ sessionId: 's', runId: 'a', prompt: 'hi' }, undefined)
    turns.turn(0).end(done)
    await settle()
    expect(completes.map((c) => c.runId)).toEqual(['a'])
    expect(busyWhenHeard).toEqual([false])
    expect(queues.completion('a')).toBeUndefined()
    expect(queues.cancelRun('a')).toBe(false)
    expect(() => queues.accept({ sessionId: 's', runId: 'a', prompt: 'again' }, undefined)).toThrow(/already accepted/)
  })

  it('D3: a queued run that is cleared is done, with its own cancelled RunComplete, and never gets a turn', () => {
    const { queues, turns, completes } = setup()
    queues.accept({ sessionId: 's', runId: 'a', prompt: 'one' }, undefined)
    queues.accept({ sessionId: 's', runId: 'b', prompt: 'two' }, undefined)
    expect(queues.clearQueue('s')).toBe(1)
    expect(completes).toEqual([{ runId: 'b', sessionId: 's', text: '', cancelled: true }])
    expect(turns.held).toHaveLength(1)
    expect(queues.isSessionBusy('s')).toBe(true)
  })
})

describe('SessionQueues: finishing what runs, starting nothing new', () => {
  it('C1: the running turn ends with its own answer, not interrupted; the prompt behind it stays queued', async () => {
    const { queues, turns, completes } = setup()
    queues.accept({ sessionId: 's', runId: 'a', prompt: 'one' }, undefined)
    queues.accept({ sessionId: 's', runId: 'b', prompt: 'two' }, undefined)
    const running = queues.finishRunning()
    expect(running).toHaveLength(1)
    const first = turns.turn(0)
    expect(first.stop.controller.signal.aborted).toBe(false)
    first.end(done)
    await Promise.all(running)
    expect(completes).toEqual([{ runId: 'a', sessionId: 's', messageId: 'm', text: 'done', cancelled: false }])
    expect(turns.held).toHaveLength(1)
    expect(queues.queuedPromptList('s').map((q) => q.runId)).toEqual(['b'])
  })

  it('G1: a call accepted meanwhile, on an idle chat, is queued, not started; nor does providerBack start one', () => {
    const { queues, turns } = setup()
    queues.finishRunning()
    expect(queues.accept({ sessionId: 's', runId: 'a', prompt: 'late' }, undefined)).toEqual({ runId: 'a', state: 'queued', position: 1 })
    expect(queues.providerBack()).toBe(false)
    expect(turns.held).toHaveLength(0)
    expect(queues.isSessionBusy('s')).toBe(false)
    expect(queues.queuedPrompts('s')).toBe(1)
  })
})

describe('SessionQueues: opened starting no turn (a core opened only to read)', () => {
  it('G1: prompts restored from the journal, and a call accepted, stay queued in order; no turn is taken, even on providerBack', () => {
    const { queues, turns, completes } = setup({ startsNoTurn: true })
    queues.restore([
      newRun({ runId: 'a', sessionId: 's', prompt: 'one', enqueuedAt: 0 }),
      newRun({ runId: 'b', sessionId: 's', prompt: 'two', enqueuedAt: 0 })
    ])
    expect(queues.accept({ sessionId: 's', runId: 'c', prompt: 'three' }, undefined)).toEqual({ runId: 'c', state: 'queued', position: 3 })
    expect(queues.providerBack()).toBe(false)
    expect(turns.held).toHaveLength(0)
    expect(queues.isSessionBusy('s')).toBe(false)
    expect(queues.queuedPromptList('s').map((q) => [q.runId, q.state])).toEqual([
      ['a', 'queued'],
      ['b', 'queued'],
      ['c', 'queued']
    ])
    expect(completes).toEqual([])
    expect(queues.finishRunning()).toEqual([])
  })
})
