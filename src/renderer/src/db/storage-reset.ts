import type { Notice } from '../notices/notices'
import type { ParleyDatabase } from './schema'

/** The part of a BroadcastChannel used here (windows of one origin tell each other that a rebuild is done). */
export interface StorageChannel {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

const channelName = 'parley-storage'
const rebuiltMessage = 'history-rebuilt'
const rebuildingMessage = 'history-rebuilding'
export const storageResetNoticeId = 'storage-reset'

export function storageChannel(): StorageChannel | undefined {
  return typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(channelName)
}

/**
 * Another window (or the browser's tools) deleted this window's IndexedDB, or upgraded it: Dexie lets go of it, and
 * what this window shows is no longer what is stored (its chats went blank, and stayed so). It says so at once, and
 * reloads by itself once the window that rebuilt the history says it is done (`announceRebuilt`), or when asked.
 */
export function watchStorageReset(db: ParleyDatabase, show: (notice: Notice) => void, reload: () => void, channel = storageChannel()): () => void {
  let reset = false
  const letGo = (cleared: boolean): void => {
    if (reset) return
    reset = true
    // Closed for good, so the delete (or upgrade) goes on: Dexie's own handler, which this one stops (`false`: the
    // newest handler runs first), would open the database again at the next read or write, and this window's events,
    // written into the empty one, would pass for a history (its lastAppliedSeq) with the window rebuilding it.
    db.close({ disableAutoOpen: true })
    const text = cleared
      ? 'Parley’s history in this browser was cleared in another window, which is rebuilding it from Parley: this window reloads once that is done.'
      : 'Parley was updated in another window: reload this one to go on.'
    show({ id: storageResetNoticeId, tone: 'warning', text, dismissible: false, action: { label: 'Reload now', testId: 'storage-reset-reload', run: reload } })
  }
  const onVersionChange = (event: IDBVersionChangeEvent): false => {
    letGo(event.newVersion === null)
    return false
  }
  const onMessage = (event: MessageEvent): void => {
    // Another window empties the tables to rebuild them from main (`announceRebuilding`): no versionchange comes, and
    // this window, left open on them, showed no chats from then on (the rebuild's rows are put straight through
    // IndexedDB, which its live queries never hear) while its own commits wrote into the half-rebuilt history.
    if (event.data === rebuildingMessage) letGo(true)
    else if (reset && event.data === rebuiltMessage) reload()
  }
  db.on('versionchange', onVersionChange)
  channel?.addEventListener('message', onMessage)
  return () => {
    db.on('versionchange').unsubscribe(onVersionChange)
    channel?.removeEventListener('message', onMessage)
  }
}

/**
 * This window is about to empty the tables and rebuild the history from main: the other windows open on them let go
 * of the database and wait for `announceRebuilt` (`watchStorageReset`).
 */
export function announceRebuilding(channel = storageChannel()): void {
  channel?.postMessage(rebuildingMessage)
}

/** This window rebuilt the history from main: windows left blank by the reset (`watchStorageReset`) may reload. */
export function announceRebuilt(channel = storageChannel()): void {
  channel?.postMessage(rebuiltMessage)
}
