import { afterEach, describe, expect, it, vi } from 'vitest'
import { ReachabilityMonitor, type ProviderStatus } from './reachability-monitor'

afterEach(() => {
  vi.useRealTimers()
})

function monitorWith(answers: () => boolean, options: { local?: boolean; turnsWaiting?: () => boolean } = {}) {
  const back: string[] = []
  const statuses: ProviderStatus[] = []
  const probes: number[] = []
  const monitor = new ReachabilityMonitor({
    probe: async () => {
      probes.push(Date.now())
      if (!answers()) throw new Error('ECONNREFUSED')
    },
    onBack: (providerId) => {
      back.push(providerId)
      return options.turnsWaiting?.() ?? false
    },
    onStatus: (status) => statuses.push(status),
    isLocal: () => options.local ?? false
  })
  return { monitor, back, statuses, probes }
}

describe('ReachabilityMonitor (rule C3)', () => {
  it('C3: probes a remote provider with backoff doubling from 1 s and capped at 30 s; a local one every 1–2 s', () => {
    const { monitor } = monitorWith(() => false)
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => monitor.delayFor(attempt, 'remote'))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000
    ])
    const local = monitorWith(() => false, { local: true }).monitor
    expect([0, 1, 2, 10].map((attempt) => local.delayFor(attempt, 'ollama'))).toEqual([1000, 2000, 2000, 2000])
  })

  it('C3: a provider on this machine is probed every 1–2 s while prompts wait', async () => {
    vi.useFakeTimers()
    const { monitor, probes, statuses } = monitorWith(() => false, { local: true })
    monitor.unreachable('ollama', 'down')
    await vi.advanceTimersByTimeAsync(1000 + 2000 * 10)
    expect(probes).toHaveLength(11)
    expect(statuses.at(-1)).toMatchObject({ reachable: false, state: 'unreachable', retryInSeconds: 2 })
    monitor.dispose()
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
    expect(statuses.at(-1)).toMatchObject({ reachable: false, state: 'unreachable', retryInSeconds: 8 })
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

  it('C3: when a probe answers and prompts wait, "back" is said only once a turn got its answer', async () => {
    vi.useFakeTimers()
    let up = false
    const { monitor, back, statuses } = monitorWith(() => up, { turnsWaiting: () => true })
    monitor.unreachable('ollama', 'down')
    up = true
    await vi.advanceTimersByTimeAsync(1000)
    expect(back).toEqual(['ollama'])
    expect(monitor.isReachable('ollama')).toBe(true)
    expect(statuses.some((s) => s.reachable)).toBe(false)
    monitor.answered('ollama')
    expect(statuses.at(-1)).toEqual({ providerId: 'ollama', reachable: true })
  })
})

describe('ReachabilityMonitor: a server loading its model (rule C6)', () => {
  it('C6: a loading provider is not declared back by a probe; its waiting turns are tried on the schedule instead', async () => {
    vi.useFakeTimers()
    // `GET /models` answers while the model loads (llama.cpp): a probe would say "back" every time.
    const { monitor, back, statuses, probes } = monitorWith(() => true, { local: true, turnsWaiting: () => true })
    monitor.loading('llama', 'The model server is still loading the model (503): Loading model.')
    expect(monitor.isReachable('llama')).toBe(false)
    expect(monitor.troubles()).toEqual(new Map([['llama', 'loading']]))
    expect(statuses.at(-1)).toEqual({
      providerId: 'llama',
      reachable: false,
      state: 'loading',
      detail: 'The model server is still loading the model (503): Loading model.',
      retryInSeconds: 1
    })
    await vi.advanceTimersByTimeAsync(1000)
    // The waiting turn is let through; no probe was sent, and the window still reads "loading".
    expect(back).toEqual(['llama'])
    expect(probes).toHaveLength(0)
    expect(statuses.filter((s) => s.reachable)).toHaveLength(0)
    // The turn got another 503: the next try is 2 s later (a local server), the status says so.
    monitor.loading('llama', 'still loading')
    expect(statuses.at(-1)).toMatchObject({ reachable: false, state: 'loading', retryInSeconds: 2 })
    await vi.advanceTimersByTimeAsync(2000)
    expect(back).toEqual(['llama', 'llama'])
    // The turn got its first token: the provider is back.
    monitor.answered('llama')
    expect(statuses.at(-1)).toEqual({ providerId: 'llama', reachable: true })
    expect(monitor.isReachable('llama')).toBe(true)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(back).toHaveLength(2)
  })

  it('C6: with no turn left waiting (all removed), the provider is simply back at the next look', async () => {
    vi.useFakeTimers()
    const { monitor, statuses } = monitorWith(() => true, { local: true, turnsWaiting: () => false })
    monitor.loading('llama', 'loading')
    await vi.advanceTimersByTimeAsync(1000)
    expect(statuses.at(-1)).toEqual({ providerId: 'llama', reachable: true })
  })

  it('C6: a turn stopped while it was being tried leaves nothing hanging', async () => {
    vi.useFakeTimers()
    const { monitor, statuses } = monitorWith(() => true, { turnsWaiting: () => true })
    monitor.loading('llama', 'loading')
    await vi.advanceTimersByTimeAsync(1000)
    monitor.turnStopped('llama')
    expect(statuses.at(-1)).toEqual({ providerId: 'llama', reachable: true })
  })

  it('C3, C6: a loading server that stops answering is probed as unreachable; one that answers while down is back', async () => {
    vi.useFakeTimers()
    let up = false
    const { monitor, statuses, probes, back } = monitorWith(() => up, { turnsWaiting: () => true })
    monitor.loading('llama', 'loading')
    monitor.unreachable('llama', 'connection refused')
    expect(statuses.at(-1)).toMatchObject({ reachable: false, state: 'unreachable', detail: 'connection refused' })
    await vi.advanceTimersByTimeAsync(1000)
    expect(probes).toHaveLength(1)
    up = true
    monitor.answered('llama')
    expect(statuses.at(-1)).toEqual({ providerId: 'llama', reachable: true })
    expect(back).toEqual(['llama'])
    monitor.dispose()
  })
})
