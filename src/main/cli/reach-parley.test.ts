import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { DataFolderInUseError } from '../core/data-lock'
import type { ParleyLink } from './parley-link'
import { reachParley, ReachTimeout } from './reach-parley'

const fakeLink = (via: ParleyLink['via']): ParleyLink => ({
  via,
  api: {} as ParleyLink['api'],
  lost: new Promise(() => {}),
  mayComeBack: via === 'app',
  close: async () => {}
})
const inUse = (): DataFolderInUseError => new DataFolderInUseError('/data', { pid: 1, hostname: hostname(), mode: 'browser' })
const never = new Promise<never>(() => {})
const instant = async (): Promise<void> => {}

describe('reaching the Parley of a data folder', () => {
  it('takes the app when its socket answers, else starts the core here', async () => {
    const app = fakeLink('app')
    await expect(reachParley({ connect: async () => app, startInProcess: async () => fakeLink('in-process'), givingUp: never, appOnlyUntil: null, onWait: () => {} })).resolves.toBe(app)
    const reached = await reachParley({ connect: async () => null, startInProcess: async () => fakeLink('in-process'), givingUp: never, appOnlyUntil: null, onWait: () => {} })
    expect(reached.via).toBe('in-process')
  })

  it('waits while the lock is held and the socket does not answer yet (the app is starting), saying so once', async () => {
    let tries = 0
    const said: string[] = []
    const reached = await reachParley({
      connect: async () => (++tries >= 4 ? fakeLink('app') : null),
      startInProcess: async () => {
        throw inUse()
      },
      givingUp: never,
      appOnlyUntil: null,
      onWait: (message) => said.push(message),
      pause: instant
    })
    expect(reached.via).toBe('app')
    expect(said).toHaveLength(1)
    expect(said[0]).toContain('browser mode')
  })

  it('never waits without end: it gives up with ReachTimeout', async () => {
    let giveUp: () => void = () => {}
    const givingUp = new Promise<void>((resolve) => (giveUp = resolve))
    let tries = 0
    const reaching = reachParley({
      connect: async () => {
        if (++tries === 3) giveUp()
        return null
      },
      startInProcess: async () => {
        throw inUse()
      },
      givingUp,
      appOnlyUntil: null,
      onWait: () => {},
      pause: instant
    })
    await expect(reaching).rejects.toBeInstanceOf(ReachTimeout)
    expect(tries).toBe(3)
  })

  it('after a drop, gives the app its time to come back before starting the core here', async () => {
    let started = 0
    let endAppOnly: () => void = () => {}
    const appOnlyUntil = new Promise<void>((resolve) => (endAppOnly = resolve))
    let tries = 0
    const reached = await reachParley({
      connect: async () => {
        if (++tries === 5) endAppOnly()
        return null
      },
      startInProcess: async () => {
        started += 1
        return fakeLink('in-process')
      },
      givingUp: never,
      appOnlyUntil,
      onWait: () => {},
      pause: instant
    })
    expect(reached.via).toBe('in-process')
    expect(tries).toBeGreaterThanOrEqual(5)
    expect(started).toBe(1)
  })

  it('lets any other failure of the core through', async () => {
    const broken = reachParley({ connect: async () => null, startInProcess: async () => Promise.reject(new Error('disk full')), givingUp: never, appOnlyUntil: null, onWait: () => {} })
    await expect(broken).rejects.toThrow('disk full')
  })
})
