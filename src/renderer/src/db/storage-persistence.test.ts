import { describe, expect, it } from 'vitest'
import { persistenceText, requestPersistence, StoragePersistence, type PersistApi } from './storage-persistence'

function storage(persisted: boolean, grants: boolean): PersistApi & { asked: number } {
  const api = {
    asked: 0,
    persisted: async () => persisted,
    persist: async () => {
      api.asked += 1
      return grants
    }
  }
  return api
}

describe('requestPersistence', () => {
  it('asks the browser to keep the storage, unless it already does', async () => {
    const granted = storage(false, true)
    expect(await requestPersistence(granted)).toBe('persistent')
    expect(granted.asked).toBe(1)
    const already = storage(true, false)
    expect(await requestPersistence(already)).toBe('persistent')
    expect(already.asked).toBe(0)
  })

  it('counts a refusal, a failure or a missing API as best effort', async () => {
    expect(await requestPersistence(storage(false, false))).toBe('best-effort')
    expect(await requestPersistence(undefined)).toBe('best-effort')
    const failing: PersistApi = { persisted: () => Promise.reject(new Error('no')), persist: async () => true }
    expect(await requestPersistence(failing)).toBe('best-effort')
  })

  it('the store starts unknown and takes the answer; the panel says what it means', async () => {
    const persistence = new StoragePersistence()
    expect(persistence.getSnapshot()).toBe('unknown')
    await persistence.request(storage(false, true))
    expect(persistence.getSnapshot()).toBe('persistent')
    expect(persistenceText('persistent')).toBe('Storage is persistent')
    expect(persistenceText('best-effort')).toBe("The browser may clear Parley's storage under pressure")
  })
})
