import { describe, expect, it } from 'vitest'
import { createProgressReporter, logStep, progressText } from './download-progress'

const MB = 1024 * 1024

describe('progressText', () => {
  it('shows percent and megabytes', () => {
    expect(progressText({ transferred: 45 * MB, total: 100 * MB })).toBe('45% (45.0 of 100.0 MB)')
  })

  it('shows only megabytes when the server sent no size', () => {
    expect(progressText({ transferred: 12.34 * MB, total: null })).toBe('12.3 MB')
  })
})

describe('logStep', () => {
  it('counts tenths of the total, or tens of megabytes when the total is unknown', () => {
    expect(logStep({ transferred: 0, total: 100 })).toBe(0)
    expect(logStep({ transferred: 99, total: 100 })).toBe(9)
    expect(logStep({ transferred: 100, total: 100 })).toBe(10)
    expect(logStep({ transferred: 25 * MB, total: null })).toBe(2)
  })
})

/** Feeds a 100 MB download in 64 KB chunks, one chunk per millisecond, and returns what was written. */
function simulate(isTTY: boolean): string[] {
  const written: string[] = []
  let clock = 0
  const reporter = createProgressReporter({
    label: 'Downloading Electron',
    isTTY,
    write: (text) => written.push(text),
    now: () => clock
  })
  const total = 100 * MB
  for (let transferred = 0; transferred < total; transferred += 64 * 1024) {
    clock += 1
    reporter.update({ transferred, total })
  }
  reporter.update({ transferred: total, total })
  reporter.finish('done')
  return written
}

describe('createProgressReporter', () => {
  it('in a log, writes at most a dozen lines for a whole download', () => {
    const lines = simulate(false)
    expect(lines.length).toBeLessThanOrEqual(12)
    expect(lines.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true)
    expect(lines[0]).toBe('Downloading Electron: 0% (0.0 of 100.0 MB)\n')
    expect(lines).toContain('Downloading Electron: 50% (50.0 of 100.0 MB)\n')
    expect(lines.at(-1)).toBe('Downloading Electron: done\n')
  })

  it('on a TTY, redraws one line in place, at most every 100 ms, and ends it with a newline', () => {
    const writes = simulate(true)
    // 1600 chunks over 1.6 s: about 16 redraws, not 1600.
    expect(writes.length).toBeLessThan(20)
    expect(writes.slice(0, -1).every((w) => w.startsWith('\r') && !w.includes('\n'))).toBe(true)
    expect(writes.at(-1)).toBe('\rDownloading Electron: 100% (100.0 of 100.0 MB), done\x1b[K\n')
  })
})
