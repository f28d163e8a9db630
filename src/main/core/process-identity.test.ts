import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { identityOf, isAnotherProcess, startTicksOf, type ProcReader } from './process-identity'

const linux = process.platform === 'linux'

function fakeProc(files: Record<string, string>): ProcReader {
  return {
    read(path) {
      const text = files[path]
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
      return text
    }
  }
}

/** A /proc/PID/stat line whose field 22 (start time) is `ticks`, with `name` as the command. */
const statLine = (pid: number, name: string, ticks: number): string =>
  `${pid} (${name}) S 1 ${pid} ${pid} 0 -1 4194304 98 0 0 0 0 0 0 0 20 0 1 0 ${ticks} 3133440 410 18446744073709551615 0 0\n`

describe('a process identity', () => {
  it('reads the start time as field 22, counted from the last ")" since a command name may hold spaces and parentheses', () => {
    expect(startTicksOf(statLine(7, 'node', 4003604))).toBe(4003604)
    expect(startTicksOf(statLine(7, 'a (b) c) d', 55))).toBe(55)
    expect(startTicksOf('garbage')).toBeUndefined()
    expect(startTicksOf('7 (node) S 1')).toBeUndefined()
  })

  it('is the boot id and the start time, or nothing when either is unreadable', () => {
    const boot = '/proc/sys/kernel/random/boot_id'
    expect(identityOf(7, fakeProc({ [boot]: 'b1\n', '/proc/7/stat': statLine(7, 'node', 42) }))).toEqual({ bootId: 'b1', startTicks: 42 })
    expect(identityOf(7, fakeProc({ [boot]: 'b1\n' }))).toBeUndefined()
    expect(identityOf(7, fakeProc({ '/proc/7/stat': statLine(7, 'node', 42) }))).toBeUndefined()
    expect(identityOf(7, fakeProc({ [boot]: '\n', '/proc/7/stat': statLine(7, 'node', 42) }))).toBeUndefined()
  })

  it('tells another process only when it knows: another boot or another start; nothing read says nothing', () => {
    const holder = { bootId: 'b1', startTicks: 42 }
    expect(isAnotherProcess(holder, { bootId: 'b1', startTicks: 42 })).toBe(false)
    expect(isAnotherProcess(holder, { bootId: 'b1', startTicks: 43 })).toBe(true)
    expect(isAnotherProcess(holder, { bootId: 'b2', startTicks: 42 })).toBe(true)
    expect(isAnotherProcess(holder, undefined)).toBe(false)
  })

  it.runIf(linux)("on Linux, is this process's own for 'self' and its pid, another for a child, none for a dead pid", async () => {
    const self = identityOf('self')
    expect(self).toEqual(identityOf(process.pid))
    expect(self?.bootId).toMatch(/^[0-9a-f-]{36}$/)
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    try {
      await new Promise((resolve) => child.once('spawn', resolve))
      const pid = child.pid ?? -1
      const theirs = identityOf(pid)
      expect(theirs?.bootId).toBe(self?.bootId)
      // Started after this test process, so later: never the same process.
      expect(theirs?.startTicks).toBeGreaterThan(self?.startTicks ?? Infinity)
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
      expect(identityOf(pid)).toBeUndefined()
    } finally {
      child.kill('SIGKILL')
    }
  })
})
