import { describe, expect, it } from 'vitest'
import { busyShare, QuietWaits, waitForQuiet, type CpuTime, type QuietOptions } from './quiet-machine'

/** A machine whose busy share in each successive window is given, with a clock the sleeps move. */
function scripted(shares: readonly number[]): Pick<QuietOptions, 'read' | 'sleep' | 'now'> {
  let clock = 0
  let at = 0
  let time: CpuTime = { busy: 0, total: 0 }
  return {
    read: () => time,
    sleep: async (ms) => {
      clock += ms
      const share = shares[Math.min(at, shares.length - 1)] ?? 0
      at += 1
      time = { busy: time.busy + share * ms * 2, total: time.total + ms * 2 }
    },
    now: () => clock
  }
}

const options = { mostBusy: 0.25, windowMs: 200, windows: 2, mostWaitMs: 2_000 }

describe('waitForQuiet', () => {
  it('busy share is the busy part of the CPU time between two readings', () => {
    expect(busyShare({ busy: 100, total: 1_000 }, { busy: 200, total: 1_400 })).toBeCloseTo(0.25)
    expect(busyShare({ busy: 5, total: 10 }, { busy: 5, total: 10 })).toBe(0)
  })

  it('returns after as many quiet windows in a row as asked, a busy one starting the count again', async () => {
    const machine = scripted([0.9, 0.1, 0.6, 0.1, 0.2, 0.9])
    const wait = await waitForQuiet({ ...options, ...machine })
    expect(wait).toEqual({ waitedMs: 1_000, busy: 0.2, quiet: true })
  })

  it('gives up after the longest wait, and says the machine was busy', async () => {
    const wait = await waitForQuiet({ ...options, ...scripted([0.8]) })
    expect(wait.quiet).toBe(false)
    expect(wait.waitedMs).toBe(2_000)
    expect(wait.busy).toBeCloseTo(0.8)
  })

  it('sums the waits of a run for its report', () => {
    const waits = new QuietWaits()
    waits.add({ waitedMs: 400, busy: 0.1, quiet: true })
    waits.add({ waitedMs: 15_000, busy: 0.7, quiet: false })
    expect(waits.summary()).toContain('2 page loads each waited')
    expect(waits.summary()).toContain('15.4 s in all, the longest 15.0 s; 1 measured busy')
  })
})
