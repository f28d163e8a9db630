import { describe, expect, it } from 'vitest'
import { briefNoticeMs, showBriefly, type BriefTimers } from './brief-notice'
import { Notices } from './notices'

/** Timers run by hand: each scheduled run waits in `due` until the test calls it. */
function handTimers(): BriefTimers & { due: { run: () => void; ms: number }[] } {
  const due: { run: () => void; ms: number }[] = []
  return { due, setTimeout: (run, ms) => due.push({ run, ms }) }
}

const copied = { id: 'copied', tone: 'info', text: 'Copied the last answer.' } as const

describe('showBriefly', () => {
  it('shows the banner, not dismissible, and takes it away after its time', () => {
    const notices = new Notices()
    const timers = handTimers()
    showBriefly(notices, copied, timers)
    expect(notices.getSnapshot()).toEqual([{ ...copied, dismissible: false, brief: true }])
    expect(timers.due.map((timer) => timer.ms)).toEqual([briefNoticeMs])
    timers.due[0]?.run()
    expect(notices.getSnapshot()).toEqual([])
  })

  it('shown again while up, its text changes (a screen reader says it again) and it stays its full time from then', () => {
    const notices = new Notices()
    const timers = handTimers()
    showBriefly(notices, copied, timers)
    showBriefly(notices, copied, timers)
    expect(notices.getSnapshot()[0]?.text).toBe('Copied the last answer.\u00a0')
    timers.due[0]?.run()
    expect(notices.getSnapshot()).toHaveLength(1)
    showBriefly(notices, copied, timers)
    expect(notices.getSnapshot()[0]?.text).toBe('Copied the last answer.')
    timers.due[1]?.run()
    expect(notices.getSnapshot()).toHaveLength(1)
    timers.due[2]?.run()
    expect(notices.getSnapshot()).toEqual([])
  })

  it('leaves a notice of its id that replaced it meanwhile', () => {
    const notices = new Notices()
    const timers = handTimers()
    showBriefly(notices, copied, timers)
    notices.show({ id: 'copied', tone: 'error', text: 'Something else.', dismissible: true })
    timers.due[0]?.run()
    expect(notices.getSnapshot().map((notice) => notice.text)).toEqual(['Something else.'])
  })
})
