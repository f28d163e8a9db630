import { describe, expect, it } from 'vitest'
import type { QueuedPrompt } from '../../../shared'
import type { ActivitySnapshot, ProviderState, SessionRun } from '../activity/session-activity'
import { loadingDetail, offlineNotice, offlineView } from './offline'

function prompt(runId: string, state: QueuedPrompt['state']): QueuedPrompt {
  return { runId, prompt: runId, enqueuedAt: 0, state }
}

function snapshot(queues: Record<string, QueuedPrompt[]>, providers: ProviderState[] = []): ActivitySnapshot {
  const sessions = new Map<string, SessionRun>()
  for (const [sessionId, queue] of Object.entries(queues)) sessions.set(sessionId, { busy: false, activeRunId: undefined, queue })
  return { sessions, pending: new Map(), providers: new Map(providers.map((p) => [p.providerId, p])) }
}

const down = (retryAt?: number, detail?: string): ProviderState => ({ providerId: 'openai', reachable: false, retryAt, detail })

describe('offlineView', () => {
  it('shows nothing while every provider answers and nothing waits', () => {
    expect(offlineView(snapshot({ s1: [prompt('a', 'queued')] }, [{ providerId: 'openai', reachable: true }]), 0)).toBeUndefined()
    expect(offlineView(snapshot({}, [{ providerId: 'openai', reachable: null }]), 0)).toBeUndefined()
  })

  it('counts the waiting prompts across every chat, gives the reason and counts down to the next probe', () => {
    const view = offlineView(
      snapshot(
        { s1: [prompt('a', 'waiting'), prompt('b', 'waiting')], s2: [prompt('c', 'waiting')], s3: [prompt('d', 'queued')] },
        [down(10_000, "Parley couldn't reach the model server (connection refused). Check that it is running.")]
      ),
      6_500
    )
    expect(view).toEqual({
      text: "Offline: 3 prompts waiting. Parley couldn't reach the model server (connection refused). Check that it is running.",
      countdown: 'Retrying in 4 s.',
      countingDown: true
    })
    expect(offlineView(snapshot({ s1: [prompt('a', 'waiting')] }, [down(10_000)]), 10_200)).toEqual({
      text: "Offline: 1 prompt waiting. Parley can't reach the model provider “openai”.",
      countdown: 'Retrying now…',
      countingDown: true
    })
  })

  it('shows while prompts wait even when no provider is known to be down (say, right after a reload)', () => {
    expect(offlineView(snapshot({ s1: [prompt('a', 'waiting'), prompt('b', 'waiting')] }), 0)).toEqual({
      text: 'Offline: 2 prompts waiting. They run as soon as the model server answers.',
      countingDown: false
    })
  })

  it('shows while a provider is down even when nothing waits', () => {
    expect(offlineView(snapshot({}, [down(undefined, 'No route')]), 0)?.text).toBe(
      'Offline: prompts you send wait until the model server answers. No route.'
    )
  })
})

describe('offlineView while the model loads (rule C6)', () => {
  it('C6: says the model is loading in one sentence, the server\'s own words as a detail, and the countdown to the next try', () => {
    const loading: ProviderState = {
      providerId: 'llama',
      reachable: false,
      state: 'loading',
      retryAt: 2_000,
      detail: 'The model server is still loading the model (503): Loading model.'
    }
    expect(offlineView(snapshot({ s1: [prompt('a', 'waiting')] }, [loading]), 500)).toEqual({
      text: 'Loading the model: 1 prompt waits, and runs by itself when the model is ready.',
      detail: 'The server answered 503: Loading model.',
      countdown: 'Retrying in 2 s.',
      countingDown: true
    })
    expect(offlineView(snapshot({ s1: [prompt('a', 'waiting'), prompt('b', 'waiting')] }, [loading]), 500)?.text).toBe(
      'Loading the model: 2 prompts wait, and run by themselves when the model is ready.'
    )
    expect(offlineView(snapshot({}, [loading]), 500)?.text).toBe('Loading the model: prompts you send wait, and run by themselves when it is ready.')
    // One provider loading and another unreachable: that is still "Offline".
    expect(offlineView(snapshot({ s1: [prompt('a', 'waiting')] }, [loading, down(2_000, 'refused')]), 500)?.text).toMatch(/^Offline: 1 prompt waiting\./)
  })

  it('C6: the loading sentence never repeats the status code or the server\'s words; the detail holds them once', () => {
    const two = ['a', 'b'].map(
      (id): ProviderState => ({ providerId: id, reachable: false, state: 'loading', detail: 'The model server is still loading the model (503): Loading model.' })
    )
    const view = offlineView(snapshot({ s1: [prompt('a', 'waiting')] }, two), 0)
    expect(view?.text).not.toMatch(/503|Loading model\b/)
    expect(view?.detail).toBe('The server answered 503: Loading model.')
  })
})

describe('loadingDetail', () => {
  it('C6: keeps the server\'s words and status from main\'s sentence, or the sentence itself when it has neither', () => {
    expect(loadingDetail('The model server is still loading the model (503): Loading model.')).toBe('The server answered 503: Loading model.')
    expect(loadingDetail('The model server is still loading the model (503).')).toBe('The server answered 503.')
    expect(loadingDetail('Something else.')).toBe('Something else.')
    expect(loadingDetail('  ')).toBeUndefined()
    expect(loadingDetail(undefined)).toBeUndefined()
  })
})

describe('offlineNotice', () => {
  it('is a warning that clears itself, with a Try now button', () => {
    let tried = 0
    const notice = offlineNotice({ text: 'Offline: 1 prompt waiting.', countingDown: false }, () => (tried += 1))
    expect(notice).toMatchObject({ id: 'offline', tone: 'warning', dismissible: false, action: { label: 'Try now', testId: 'probe-now' } })
    expect(offlineNotice({ text: 'Loading the model.', detail: 'The server answered 503.', countingDown: false }, () => undefined).detail).toBe(
      'The server answered 503.'
    )
    notice.action?.run()
    expect(tried).toBe(1)
  })
})
