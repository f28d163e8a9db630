import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import type { Notice } from '../notices/notices'
import { ParleyDatabase } from './schema'
import { announceRebuilding, announceRebuilt, watchStorageReset, type StorageChannel } from './storage-reset'

/** Windows of one origin, as a BroadcastChannel joins them (a message reaches the others, not the sender). */
function channels(): [StorageChannel, StorageChannel] {
  const a = new EventTarget()
  const b = new EventTarget()
  const to = (target: EventTarget): StorageChannel => ({
    postMessage: (data: unknown) => void (target === a ? b : a).dispatchEvent(new MessageEvent('message', { data })),
    addEventListener: (type, listener) => target.addEventListener(type, listener as EventListener),
    removeEventListener: (type, listener) => target.removeEventListener(type, listener as EventListener)
  })
  return [to(a), to(b)]
}

/** A window's database with one chat, watched for resets (`watchStorageReset`), and the channel another window uses. */
async function watchedWindow(prefix: string) {
  const name = `${prefix}-${Math.random()}`
  const db = new ParleyDatabase(name)
  await db.sessions.put({ id: 's', title: 'A chat', createdAt: 0, updatedAt: 0, seq: 1 })
  const shown: Notice[] = []
  const reload = vi.fn()
  const [here, there] = channels()
  watchStorageReset(db, (notice) => shown.push(notice), reload, here)
  return { name, db, shown, reload, there }
}

describe('a window whose IndexedDB another window cleared', () => {
  it('says so, stops writing to it (no silent reopen), and reloads once the other window has rebuilt the history', async () => {
    const { name, db, shown, reload, there } = await watchedWindow('reset')

    // Another window deletes the database (a person clearing site data, or the browser's tools).
    await new ParleyDatabase(name).delete()
    expect(shown.map((n) => n.id)).toEqual(['storage-reset'])
    expect(shown[0]?.text).toContain('reloads once that is done')
    expect(shown[0]?.action?.testId).toBe('storage-reset-reload')
    // This window's writes fail rather than make a fresh, near-empty history that would pass for the real one.
    await expect(db.meta.put({ key: 'lastAppliedSeq', value: 5 })).rejects.toThrow()
    expect(await new ParleyDatabase(name).lastAppliedSeq()).toBe(0)

    expect(reload).not.toHaveBeenCalled()
    announceRebuilt(there)
    expect(reload).toHaveBeenCalledTimes(1)
  })

  it('another window rebuilding by emptying the tables (no versionchange): this one lets go the same way, and reloads once it is done', async () => {
    const { name, db, shown, reload, there } = await watchedWindow('rebuilding')

    // Main can no longer replay what the database lacks (another window acknowledged it), and that window rebuilds.
    announceRebuilding(there)
    expect(shown.map((n) => n.id)).toEqual(['storage-reset'])
    expect(shown[0]?.text).toContain('reloads once that is done')
    // Its applier's next commit fails instead of writing a lastAppliedSeq into the half-rebuilt history.
    await expect(db.meta.put({ key: 'lastAppliedSeq', value: 5 })).rejects.toThrow()
    expect(await new ParleyDatabase(name).lastAppliedSeq()).toBe(0)

    expect(reload).not.toHaveBeenCalled()
    announceRebuilt(there)
    expect(reload).toHaveBeenCalledTimes(1)
  })

  it('a rebuild announced when nothing was reset here changes nothing', () => {
    const reload = vi.fn()
    const [here, there] = channels()
    watchStorageReset(new ParleyDatabase(`calm-${Math.random()}`), () => undefined, reload, here)
    announceRebuilt(there)
    expect(reload).not.toHaveBeenCalled()
  })
})
