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
})
