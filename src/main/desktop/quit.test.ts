import { describe, expect, it } from 'vitest'
import { shutdownBeforeQuit } from './quit'

function quitEvent() {
  const event = { prevented: false, preventDefault: () => void (event.prevented = true) }
  return event
}

describe('quitting the desktop app', () => {
  it('holds quit until the core has shut down, once, then quits for real', async () => {
    let finish: () => void = () => {}
    let shutdowns = 0
    let quits = 0
    const onBeforeQuit = shutdownBeforeQuit(
      () => {
        shutdowns += 1
        return new Promise<void>((resolve) => (finish = resolve))
      },
      () => {
        quits += 1
        const again = quitEvent()
        onBeforeQuit(again)
        expect(again.prevented).toBe(false)
      }
    )
    const first = quitEvent()
    onBeforeQuit(first)
    const second = quitEvent()
    onBeforeQuit(second)
    expect([first.prevented, second.prevented, shutdowns, quits]).toEqual([true, true, 1, 0])
    finish()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect([shutdowns, quits]).toEqual([1, 1])
  })

  it('still quits when shutting down fails, and says why', async () => {
    const reported: unknown[] = []
    let quits = 0
    const onBeforeQuit = shutdownBeforeQuit(
      () => Promise.reject(new Error('journal is read-only')),
      () => void (quits += 1),
      (error) => reported.push(error)
    )
    onBeforeQuit(quitEvent())
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(quits).toBe(1)
    expect(String(reported[0])).toContain('journal is read-only')
  })
})
