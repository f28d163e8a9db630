import { describe, expect, it } from 'vitest'
import type { ActivitySnapshot, ProviderState } from './session-activity'
import { SessionActivity } from './session-activity'
import { waitReason } from './wait-reason'

const snapshot = (providers: ProviderState[]): ActivitySnapshot => ({
  sessions: new Map(),
  pending: new Map(),
  providers: new Map(providers.map((p) => [p.providerId, p]))
})

describe('waitReason (rules C3, C6)', () => {
  it('C6: loading when every provider that is down is loading its model; unreachable otherwise', () => {
    expect(waitReason(snapshot([{ providerId: 'llama', reachable: false, state: 'loading' }]))).toBe('loading')
    expect(
      waitReason(
        snapshot([
          { providerId: 'llama', reachable: false, state: 'loading' },
          { providerId: 'openai', reachable: false, state: 'unreachable' }
        ])
      )
    ).toBe('unreachable')
    expect(waitReason(snapshot([{ providerId: 'llama', reachable: null }]))).toBe('unreachable')
    expect(waitReason(snapshot([]))).toBe('unreachable')
  })

  it('C6: the store keeps the reason from provider.status and from status() after a reload', () => {
    const activity = new SessionActivity()
    activity.take({ type: 'provider.status', providerId: 'llama', reachable: false, state: 'loading', retryInSeconds: 2, detail: 'loading', seq: 1, at: 0 })
    expect(waitReason(activity.getSnapshot())).toBe('loading')
    activity.take({ type: 'provider.status', providerId: 'llama', reachable: true, seq: 2, at: 0 })
    expect(activity.getSnapshot().providers.get('llama')?.state).toBeUndefined()

    const reloaded = new SessionActivity()
    reloaded.seed({ sessions: [], providers: [{ providerId: 'llama', reachable: false, state: 'loading' }], lastSeq: 5 })
    expect(waitReason(reloaded.getSnapshot())).toBe('loading')
    // An event from before `state` existed reads as unreachable.
    const old = new SessionActivity()
    old.take({ type: 'provider.status', providerId: 'x', reachable: false, seq: 1, at: 0 })
    expect(waitReason(old.getSnapshot())).toBe('unreachable')
  })
})
