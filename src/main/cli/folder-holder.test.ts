import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { acquireDataLock, dataLockFileName } from '../core/data-lock'
import { holderMayComeBack } from './folder-holder'

let dataDir = ''
afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

const fresh = (): string => (dataDir = mkdtempSync(join(tmpdir(), 'parley-holder-')))
const lockSays = (content: string): void => writeFileSync(join(dataDir, dataLockFileName), content)

describe('whether the Parley holding a folder may come back once gone', () => {
  it('another command\'s core (headless) never comes back by itself', () => {
    fresh()
    const lock = acquireDataLock(dataDir, 'headless')
    try {
      expect(holderMayComeBack(dataDir)).toBe(false)
    } finally {
      lock.release()
    }
  })

  it('the app, desktop or browser mode, may be restarting', () => {
    fresh()
    for (const mode of ['desktop', 'browser'] as const) {
      const lock = acquireDataLock(dataDir, mode)
      try {
        expect(holderMayComeBack(dataDir)).toBe(true)
      } finally {
        lock.release()
      }
    }
  })

  it('a lock that is gone, torn, of another shape or of an unknown mode counts as the app\'s', () => {
    fresh()
    expect(holderMayComeBack(dataDir)).toBe(true)
    for (const content of ['{"pid":', '[]', '{"pid":1,"hostname":"h","mode":7}', '{"pid":1,"hostname":"h","mode":"server"}', '{"pid":1,"hostname":"h"}']) {
      lockSays(content)
      expect(holderMayComeBack(dataDir)).toBe(true)
    }
  })
})
