import { afterEach, describe, expect, it, vi } from 'vitest'
import { ReachabilityMonitor, type ProviderStatus } from './reachability-monitor'

afterEach(() => {
  vi.useRealTimers()
})

function monitorWith(answers: () => boolean) {
  const back: string[] = []
  const statuses: ProviderStatus[] = []
  const probes: number[] = []
  const monitor = new ReachabilityMonitor({
    probe: async () => {
      probes.push(Date.now())
      if (!answers()) throw new Error('ECONNREFUSED')
    },
    onBack: (providerId) => back.push(providerId),
    onStatus: (status) => statuses.push(status)
  })
  return { monitor, back, statuses, probes }
}

describe('ReachabilityMonitor (rule C3)', () => {
  it('C3: probes with backoff doubling from 1 s and capped at 30 s', () => {
    const { monitor } = monitorWith(() => false)
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => monitor.delayFor(attempt))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000
    ])
  })

  it('C3: a provider that is down is probed until it answers, then the waiting prompts are told', async () => {
    vi.useFakeTimers()
    let up = false
    const { monitor, back, statuses, probes } = monitorWith(() => up)
    monitor.unreachable('ollama', 'Parley could not reach the model server.')
    expect(monitor.isReachable('ollama')).toBe(false)
    expect(monitor.isReachable('other')).toBe(true)
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000)
    expect(probes).toHaveLength(3)
    expect(back).toEqual([])
    expect(statuses.at(-1)).toMatchObject({ reachable: false, retryInSeconds: 8 })
    up = true
    await vi.advanceTimersByTimeAsync(8000)
    expect(back).toEqual(['ollama'])
    expect(monitor.isReachable('ollama')).toBe(true)
    expect(statuses.at(-1)).toEqual({ providerId: 'ollama', reachable: true })
    // Nothing more is probed once it is back.
    await vi.advanceTimersByTimeAsync(120_000)
    expect(probes).toHaveLength(4)
  })

  it('C3: the OS online event probes at once instead of waiting out the backoff', async () => {
    vi.useFakeTimers()
    let up = false
    const { monitor, back } = monitorWith(() => up)
    monitor.unreachable('ollama', 'down')
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 16_000)
    up = true
    monitor.probeNow()
    await vi.advanceTimersByTimeAsync(0)
    expect(back).toEqual(['ollama'])
  })

  it('reporting the same provider twice keeps one probe loop; dispose stops probing', async () => {
    vi.useFakeTimers()
    const { monitor, probes } = monitorWith(() => false)
    monitor.unreachable('ollama', 'down')
    monitor.unreachable('ollama', 'down again')
    await vi.advanceTimersByTimeAsync(1000)
    expect(probes).toHaveLength(1)
    monitor.dispose()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(probes).toHaveLength(1)
  })
})
