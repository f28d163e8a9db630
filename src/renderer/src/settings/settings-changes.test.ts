import { describe, expect, it } from 'vitest'
import type { ParleyEvent } from '../../../shared'
import { SettingsChanges } from './settings-changes'

const changed = (seq: number): ParleyEvent => ({ type: 'settings.changed', seq, at: 1 })

describe('SettingsChanges', () => {
  it('moves with each settings.changed main publishes, and tells its subscribers', () => {
    const changes = new SettingsChanges()
    let told = 0
    changes.subscribe(() => (told += 1))
    expect(changes.getSnapshot()).toBe(0)
    changes.take(changed(4))
    changes.take(changed(9))
    expect(changes.getSnapshot()).toBe(9)
    expect(told).toBe(2)
  })

  it('ignores every other event', () => {
    const changes = new SettingsChanges()
    changes.take({ type: 'session.open', sessionId: 's1', seq: 3, at: 1 })
    expect(changes.getSnapshot()).toBe(0)
  })
})
