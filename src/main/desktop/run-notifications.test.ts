import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunComplete } from '../../shared'
import { EventBroker } from '../core/events/event-broker'
import { fsDisk } from '../core/journal/journal-file'
import { listen, newDataDir, startCore, untilComplete } from '../core/journal/test-fixtures/lifetimes'
import type { RunNotification } from './notification-policy'
import { notifyOnRunComplete, recordLimit, runEventsOf, type RaisedNotification, type RunEvents, type RunNotificationOptions } from './run-notifications'

function complete(runId: string, fields: Partial<RunComplete> = {}): RunComplete {
  return { runId, sessionId: 's1', text: `answer ${runId}`, cancelled: false, ...fields }
}

/** The events of a bare broker, as the service's subscription gives them (with no journal: at once). */
const eventsOf = (broker: EventBroker): RunEvents => ({ subscribe: (since, listener) => broker.subscribe({ since }, listener) })

/** A notifier for a hidden window with notifications on, noting each run it tells into `raised` (as `name` says). */
function tellingInto(raised: string[], source: Pick<RunNotificationOptions, 'events' | 'since'>, name = (runId: string) => runId): () => void {
  return notifyOnRunComplete({
    ...source,
    sessionTitle: () => null,
    window: () => ({ visible: false, focused: false }),
    settings: () => ({ enabled: true, onlyInBackground: true }),
    paused: () => false,
    raise: (notification) => {
      raised.push(name(notification.runId))
      return true
    },
    record: []
  })
}

function setup(overrides: Partial<RunNotificationOptions> & { broker?: EventBroker } = {}) {
  const broker = overrides.broker ?? new EventBroker()
  const raised: RunNotification[] = []
  const record: RaisedNotification[] = []
  const state = { visible: false, focused: false, enabled: true, paused: false }
  const stop = notifyOnRunComplete({
    events: eventsOf(broker),
    since: broker.lastSeq,
    sessionTitle: (id) => (id === 's1' ? 'Capitals' : null),
    window: () => ({ visible: state.visible, focused: state.focused }),
    settings: () => ({ enabled: state.enabled, onlyInBackground: true }),
    paused: () => state.paused,
    raise: (notification) => {
      raised.push(notification)
      return true
    },
    record,
    now: () => 42,
    ...overrides
  })
  return { broker, raised, record, state, stop }
}

describe('notifications for completed runs', () => {
  it('raises one per run.complete in the background, with the title and answer, and records it', () => {
    const { broker, raised, record } = setup()
    broker.publish({ type: 'run.complete', complete: complete('r1') })
    broker.publish({ type: 'run.complete', complete: complete('r2', { sessionId: 's2', text: '' }) })
    expect(raised.map((n) => [n.runId, n.title, n.body])).toEqual([
      ['r1', 'Capitals', 'answer r1'],
      ['r2', 'New chat', '(The answer was empty.)']
    ])
    expect(record).toEqual([
      { runId: 'r1', sessionId: 's1', title: 'Capitals', body: 'answer r1', isError: false, shown: true, at: 42 },
      { runId: 'r2', sessionId: 's2', title: 'New chat', body: '(The answer was empty.)', isError: false, shown: true, at: 42 }
    ])
  })

  it('reads the window, the settings and the pause at each run', () => {
    const { broker, raised, state } = setup()
    state.visible = true
    state.focused = true
    broker.publish({ type: 'run.complete', complete: complete('looking') })
    state.focused = false
    broker.publish({ type: 'run.complete', complete: complete('away') })
    state.paused = true
    broker.publish({ type: 'run.complete', complete: complete('paused') })
    state.paused = false
    state.enabled = false
    broker.publish({ type: 'run.complete', complete: complete('disabled') })
    expect(raised.map((n) => n.runId)).toEqual(['away'])
  })

  it('ignores other events, cancelled runs and runs cut off by quitting', () => {
    const { broker, raised } = setup()
    broker.publish({ type: 'session.busy', sessionId: 's1', busy: false })
    broker.publish({ type: 'run.complete', complete: complete('c', { cancelled: true }) })
    broker.publish({ type: 'run.complete', complete: complete('i', { error: 'interrupted' }) })
    expect(raised).toEqual([])
  })

  it('does not notify again for runs that completed before it started', () => {
    const broker = new EventBroker()
    broker.publish({ type: 'run.complete', complete: complete('old') })
    const raised: string[] = []
    tellingInto(raised, { events: eventsOf(broker), since: broker.lastSeq })
    broker.publish({ type: 'run.complete', complete: complete('new') })
    expect(raised).toEqual(['new'])
  })

  it('G4: tells, once, the runs a restart published after `since` (their end kept from being told by a crash), and none told before', () => {
    const broker = new EventBroker()
    broker.publish({ type: 'run.complete', complete: complete('told-before-the-crash') })
    const startSeq = broker.lastSeq
    broker.publish({ type: 'run.complete', complete: complete('recovered') })
    const { raised } = setup({ broker, since: startSeq })
    broker.publish({ type: 'run.complete', complete: complete('live') })
    expect(raised.map((notification) => notification.runId)).toEqual(['recovered', 'live'])
  })

  it('records a notification the OS could not show, and one whose showing threw, as not shown', () => {
    const errors: unknown[] = []
    let calls = 0
    const { broker, record } = setup({
      raise: () => {
        calls += 1
        if (calls === 1) return false
        throw new Error('no notification daemon')
      },
      report: (error) => errors.push(error)
    })
    broker.publish({ type: 'run.complete', complete: complete('r1') })
    broker.publish({ type: 'run.complete', complete: complete('r2') })
    expect(record.map((n) => [n.runId, n.shown])).toEqual([
      ['r1', false],
      ['r2', false]
    ])
    expect(String(errors[0])).toContain('no notification daemon')
  })

  it(`keeps only the last ${recordLimit} in the record`, () => {
    const { broker, record } = setup()
    for (let i = 0; i < recordLimit + 5; i++) broker.publish({ type: 'run.complete', complete: complete(`r${i}`) })
    expect(record).toHaveLength(recordLimit)
    expect(record[0]?.runId).toBe('r5')
  })

  it('stops when unsubscribed', () => {
    const { broker, raised, stop } = setup()
    stop()
    broker.publish({ type: 'run.complete', complete: complete('r1') })
    expect(raised).toEqual([])
  })
})

describe('notifications across a real crash (G4)', () => {
  it('G4: main killed after an answer ended but before its RunComplete went out: the restarted app notifies it, once', async () => {
    // The journal test's fixture: r1's end is written, the process dies before the fsync that lets its RunComplete out.
    const dataDir = newDataDir()
    const fixture = join(import.meta.dirname, '..', 'core', 'journal', 'test-fixtures', 'killed-core.ts')
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, 'after-ended'], { stdio: ['ignore', 'inherit', 'inherit'] })
    expect(await new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)))).toBe('SIGKILL')

    const core = await startCore(dataDir)
    try {
      const raised: string[] = []
      tellingInto(raised, runEventsOf(core), (runId) => `from the app: ${runId}`)
      // What listening from the moment it subscribes would tell: r1's outcome, published by the recovery, is missed.
      tellingInto(raised, { ...runEventsOf(core), since: core.broker.lastSeq }, (runId) => `from now: ${runId}`)
      await untilComplete(listen(core, dataDir, 0), ['r1', 'r2'])
      await core.agent.idle()
      expect(raised.sort()).toEqual(['from now: r2', 'from the app: r1', 'from the app: r2'].sort())
    } finally {
      await core.shutdown()
    }
  })
})

describe('notifications only for what the journal holds (B5, G4)', () => {
  it('G4: a RunComplete is told once the journal made it durable, not when the agent publishes it', async () => {
    // A disk whose fsyncs wait until the test lets them go: nothing published meanwhile is durable.
    let held = false
    const waiting: (() => void)[] = []
    const core = await startCore(newDataDir(), {
      disk: {
        write: (fd, text) => fsDisk.write(fd, text),
        fsync: async (fd) => {
          if (held) await new Promise<void>((resolve) => waiting.push(resolve))
          return fsDisk.fsync(fd)
        }
      }
    })
    try {
      const raised: string[] = []
      tellingInto(raised, runEventsOf(core))
      const published: string[] = []
      core.broker.subscribe({ since: core.broker.lastSeq }, (event) => {
        if (event.type === 'run.complete') published.push(event.complete.runId)
      })
      const session = await core.service.createSession({ title: 'held' })
      held = true
      core.agent.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'one' })
      await expect.poll(() => published).toEqual(['r1'])
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(raised).toEqual([])
      held = false
      for (const release of waiting.splice(0)) release()
      await expect.poll(() => raised).toEqual(['r1'])
    } finally {
      held = false
      for (const release of waiting.splice(0)) release()
      await core.shutdown()
    }
  })
})
