import { createContext, useContext, useSyncExternalStore, type JSX, type ReactNode } from 'react'
import type { ParleyApi } from '../../shared'
import type { ActivitySnapshot, SessionActivity } from './activity/session-activity'
import type { SessionList } from './sessions/session-list'
import type { ParleyDatabase } from './db/schema'
import type { Persistence, StoragePersistence } from './db/storage-persistence'
import type { StreamingStore } from './db/streaming-store'
import type { UncommittedRows } from './db/uncommitted-rows'
import type { Notice, Notices } from './notices/notices'
import type { Attention, AttentionState } from './sessions/attention'
import type { OpenRequest, OpenRequests } from './sessions/open-requests'
import type { PendingDeletes } from './sessions/pending-deletes'
import type { RunAnnouncements } from './notices/run-announcements'
import type { SettingsChanges } from './settings/settings-changes'

/** Everything the UI reaches for, made once at startup (main.tsx) and handed down. */
export interface ParleyServices {
  api: ParleyApi
  db: ParleyDatabase
  streaming: StreamingStore
  /** The messages heard of and not yet in Dexie's rows as the chat read them: its live end shows them at once. */
  uncommitted: UncommittedRows
  activity: SessionActivity
  notices: Notices
  /** Which chat is open, and whether the window is shown and focused (for the unseen marks). */
  attention: Attention
  /** Main's requests to show a chat. */
  openRequests: OpenRequests
  /** Whether the browser promised to keep the history (asked once at startup). */
  persistence: StoragePersistence
  /** Deletions waiting out their Undo time: hidden from view, not yet sent to main. */
  deletes: PendingDeletes
  /** The sidebar's chats, read from the moment the history is open (not from the first render: issue 11 item 4). */
  chats: SessionList
  /** When the settings were last saved, in any window. */
  settingsChanges: SettingsChanges
  /** The last run that ended, as a sentence for a screen reader. */
  announcements: RunAnnouncements
  /** A restore copying the rest of the chats behind the window: settles once every chat is back (none: nothing to wait for). */
  restoring?: Promise<void>
}

const ParleyContext = createContext<ParleyServices | null>(null)

export function ParleyProvider(props: { services: ParleyServices; children: ReactNode }): JSX.Element {
  return <ParleyContext.Provider value={props.services}>{props.children}</ParleyContext.Provider>
}

export function useParley(): ParleyServices {
  const services = useContext(ParleyContext)
  if (!services) throw new Error('useParley() is used outside <ParleyProvider>')
  return services
}

/** Busy sessions, active runs, queues, providers: redraws when any of them changes. */
export function useActivity(): ActivitySnapshot {
  const { activity } = useParley()
  return useSyncExternalStore(activity.subscribe, activity.getSnapshot)
}

export function useNotices(): readonly Notice[] {
  const { notices } = useParley()
  return useSyncExternalStore(notices.subscribe, notices.getSnapshot)
}

export function useAttention(): AttentionState {
  const { attention } = useParley()
  return useSyncExternalStore(attention.subscribe, attention.getSnapshot)
}

/** The latest live `session.open` from main, if any. */
export function useOpenRequest(): OpenRequest | undefined {
  const { openRequests } = useParley()
  return useSyncExternalStore(openRequests.subscribe, openRequests.getSnapshot)
}

/** The seq of the last settings save main told of (0: none yet): what shows the settings reads them again when it moves. */
export function useSettingsChanges(): number {
  const { settingsChanges } = useParley()
  return useSyncExternalStore(settingsChanges.subscribe, settingsChanges.getSnapshot)
}

/** Whether the browser keeps Parley's storage under pressure; `unknown` until it has answered. */
export function usePersistence(): Persistence {
  const { persistence } = useParley()
  return useSyncExternalStore(persistence.subscribe, persistence.getSnapshot)
}

/** Ids of the chats and messages deleted from view (pending their Undo time, or sent to main). */
export function useDeletedIds(): ReadonlySet<string> {
  const { deletes } = useParley()
  return useSyncExternalStore(deletes.subscribe, deletes.getSnapshot)
}
