import { describe, expect, it } from 'vitest'
import { probeWhenOnline } from './online-probe'

describe('probeWhenOnline', () => {
  it("C3: asks main to probe at once on the window's online event, and stops when disposed", () => {
    const window = new EventTarget()
    let probes = 0
    const stop = probeWhenOnline(window, { probeNow: async () => void (probes += 1) })
    window.dispatchEvent(new Event('online'))
    window.dispatchEvent(new Event('offline'))
    expect(probes).toBe(1)
    stop()
    window.dispatchEvent(new Event('online'))
    expect(probes).toBe(1)
  })

  it('a refused probe (the bridge is down as well) is not an unhandled rejection', async () => {
    const window = new EventTarget()
    probeWhenOnline(window, { probeNow: () => Promise.reject(new Error('Disconnected')) })
    window.dispatchEvent(new Event('online'))
    await new Promise((resolve) => setTimeout(resolve, 0))
  })
})
