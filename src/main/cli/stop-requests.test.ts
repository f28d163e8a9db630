import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { exitCodeFor, listenForStops, StopRequests } from './stop-requests'

/** `process` as listenForStops sees it: its signals, stdout and stderr. */
function fakeProcess() {
  const signals = new EventEmitter()
  const stdout = new EventEmitter()
  const stderr = new EventEmitter()
  return { on: (signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void) => signals.on(signal, listener), stdout, stderr, signals }
}

describe('the stop requests a command hears', () => {
  it('counts them: the nth resolves at the nth request, or at once if it came already', async () => {
    const stops = new StopRequests()
    const first = stops.nth(1)
    const second = stops.nth(2)
    stops.request('terminate')
    await expect(first).resolves.toBe('terminate')
    expect(stops.count).toBe(1)
    stops.request('interrupt')
    await expect(second).resolves.toBe('interrupt')
    await expect(stops.nth(1)).resolves.toBe('terminate')
  })

  it('Ctrl+C, SIGTERM, SIGHUP and a stdout whose reader went away are each a request; only the first stdout error counts', async () => {
    const process = fakeProcess()
    const stops = listenForStops(process)
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })
    process.stdout.emit('error', epipe)
    process.stdout.emit('error', epipe)
    // stderr's own error is heard, so it never crashes the command, and asks nothing.
    process.stderr.emit('error', epipe)
    expect(stops.count).toBe(1)
    process.signals.emit('SIGTERM')
    process.signals.emit('SIGINT')
    // Its terminal closed.
    process.signals.emit('SIGHUP')
    await expect(Promise.all([stops.nth(1), stops.nth(2), stops.nth(3), stops.nth(4)])).resolves.toEqual(['output-closed', 'terminate', 'interrupt', 'hang-up'])
  })

  it('exits as shells report a signal: 130 Ctrl+C, 143 SIGTERM, 129 SIGHUP, 141 a closed pipe', () => {
    expect(exitCodeFor('interrupt')).toBe(130)
    expect(exitCodeFor('terminate')).toBe(143)
    expect(exitCodeFor('hang-up')).toBe(129)
    expect(exitCodeFor('output-closed')).toBe(141)
  })
})
