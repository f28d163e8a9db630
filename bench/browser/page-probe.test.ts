// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { installBenchProbe, type BenchWindow } from './page-probe'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('the bench probe', () => {
  it('does not call a selector painted before an element matches it, even when any text will do', async () => {
    installBenchProbe()
    const probe = (globalThis as BenchWindow).__parleyBench
    expect(await probe.whenPainted('[data-testid="session-item"]', '', 50)).toBe(-1)
    setTimeout(() => {
      const row = document.createElement('div')
      row.dataset['testid'] = 'session-item'
      row.textContent = 'Chat 00001'
      document.body.append(row)
    }, 20)
    expect(await probe.whenPainted('[data-testid="session-item"]', '', 2_000)).toBeGreaterThan(0)
    expect(await probe.whenPainted('[data-testid="session-item"]', 'Chat 00002', 50)).toBe(-1)
  })

  it('times typing until the results are there, not before: an input event the page answers later', async () => {
    installBenchProbe()
    const probe = (globalThis as BenchWindow).__parleyBench
    const box = document.createElement('input')
    document.body.append(box)
    box.addEventListener('input', () => {
      setTimeout(() => {
        for (let i = 0; i < 3; i++) {
          const hit = document.createElement('div')
          hit.className = 'hit'
          hit.textContent = box.value
          document.body.append(hit)
        }
      }, 40)
    })
    const waited = await probe.typeAndWait('input', 'journal', '.hit', 3, 2_000)
    expect(waited).toBeGreaterThanOrEqual(40)
    expect(document.querySelectorAll('.hit')[0]?.textContent).toBe('journal')
    expect(await probe.typeAndWait('input', 'other', '.missing', 1, 50)).toBeNaN()
  })

  it("tells the browser's start of the page (long tasks over before Parley's first script) from Parley's own", () => {
    type Entry = { startTime: number; duration: number }
    let report: ((list: { getEntries: () => Entry[] }) => void) | undefined
    const original = globalThis.PerformanceObserver
    globalThis.PerformanceObserver = class {
      constructor(callback: (list: { getEntries: () => Entry[] }) => void) {
        report = callback
      }
      observe(): void {}
      disconnect(): void {}
    } as unknown as typeof PerformanceObserver
    try {
      installBenchProbe()
      const probe = (globalThis as BenchWindow).__parleyBench
      // Before the mark exists, nothing can be said to be before Parley: every task counts as its own.
      const now = performance.now()
      report?.({ getEntries: () => [{ startTime: now - 200, duration: 60 }] })
      expect(probe.stopRecording()).toMatchObject({ longTasks: [60], beforeAppTasks: [] })
      performance.mark('parley:boot:for-first-steps-0')
      const appStart = performance.getEntriesByName('parley:boot:for-first-steps-0')[0]?.startTime ?? Number.NaN
      // One ending before the mark, one running across it (Parley's script ran in it), one after.
      report?.({ getEntries: () => [{ startTime: appStart - 100, duration: 52 }, { startTime: appStart - 30, duration: 70 }, { startTime: appStart + 5, duration: 80 }] })
      expect(probe.stopRecording()).toMatchObject({ longTasks: [70, 80], beforeAppTasks: [60, 52] })
    } finally {
      globalThis.PerformanceObserver = original
      performance.clearMarks('parley:boot:for-first-steps-0')
    }
  })
})
