import { useMemo, useState, useSyncExternalStore } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import type { SessionRow } from '../db/schema'
import { useDeletedIds, useParley } from '../parley-context'
import { chooseSession } from './selection'
import type { SessionListSnapshot } from './session-list'

export interface OpenChat {
  /** The chats read so far (undefined until the first screenful is). */
  stored: SessionListSnapshot | undefined
  /** The chats listed, newest first, without those being deleted. */
  sessions: readonly SessionRow[] | undefined
  /** The chat shown: the one chosen while it is listed (or not read yet), else the newest. */
  sessionId: string | undefined
  /** Its row, once read: from the list, or from Dexie by its id. */
  current: SessionRow | undefined
  /** Chooses the chat to show. */
  setSelected: (sessionId: string | undefined) => void
}

/** The chat the window shows, chosen among the chats listed (`firstChat` at first), and its row. */
export function useOpenChat(firstChat: string | undefined): OpenChat {
  const { db, chats: list } = useParley()
  const deleted = useDeletedIds()
  // The chats, read a screenful first and the rest in chunks (started with the window, start-app.tsx); everything
  // below is O(1) in their number but the filter of pending deletions (a pass over the ids when there are any).
  const stored = useSyncExternalStore(list.subscribe, list.getSnapshot)
  const sessions = useMemo(
    () => (stored && deleted.size > 0 ? stored.rows.filter((session) => !deleted.has(session.id)) : stored?.rows),
    [stored, deleted]
  )
  const [selected, setSelected] = useState<string | undefined>(firstChat)

  const shownChats = stored && sessions ? { has: (id: string) => stored.byId.has(id) && !deleted.has(id), newest: sessions[0]?.id } : undefined
  const sessionId = stored && shownChats ? chooseSession(shownChats, selected, stored.listed) : selected
  // The open chat: from the list, or (not read yet, deep in 50,000) from Dexie by its id.
  const fetched = useLiveQuery(() => (sessionId ? db.sessions.get(sessionId) : undefined), [db, sessionId])
  const listedCurrent = sessionId !== undefined && !deleted.has(sessionId) ? stored?.byId.get(sessionId) : undefined
  const current = listedCurrent ?? (fetched && !deleted.has(fetched.id) ? fetched : undefined)
  return { stored, sessions, sessionId, current, setSelected }
}
