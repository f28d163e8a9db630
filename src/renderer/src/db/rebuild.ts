import type { HistorySnapshot, ParleyApi } from '../../../shared'
import { lastAppliedSeqKey, type ParleyDatabase } from './schema'

/**
 * Set in meta while a rebuild is under way (its value: the snapshot's seq). A window closed or failed mid-rebuild
 * finds it at its next start and rebuilds again; the rows' seq watermarks make the second pass change only what the
 * first one missed.
 */
export const restorePendingKey = 'restorePending'

export interface RestoreProgress {
  /** Chats fully written so far. */
  done: number
  total: number
}

export interface RebuildOptions {
  api: Pick<ParleyApi, 'historySnapshot'>
  db: ParleyDatabase
  /** Hears how far the rebuild is after each page is committed. */
  onProgress?: (progress: RestoreProgress) => void
}

export type RebuildOutcome =
  | { rebuilt: false }
  | { rebuilt: true; seq: number; sessions: number; messages: number }

/**
 * Whether the window's history has to come from main: a rebuild was left unfinished, or Dexie has never applied an
 * event and holds no chat (site data cleared, a new profile, a database the browser replaced).
 */
export async function needsRebuild(db: ParleyDatabase): Promise<boolean> {
  if (await db.meta.get(restorePendingKey)) return true
  if ((await db.lastAppliedSeq()) > 0) return false
  return (await db.sessions.count()) === 0
}

/**
 * Rebuilds Dexie from main's session log (architecture.md: "If IndexedDB is lost … the window rebuilds it from
 * main's log"). Pages through `historySnapshot` and writes each page in one transaction, every row stamped with the
 * snapshot's seq, so the events after it (which the applier subscribes for next) apply and replayed older ones don't.
 * The last page's transaction sets the durable seq. A page that fails leaves the rebuild pending for the next start.
 */
export async function rebuildFromMain(options: RebuildOptions): Promise<RebuildOutcome> {
  const { api, db } = options
  if (!(await needsRebuild(db))) return { rebuilt: false }
  let page = await api.historySnapshot({})
  if (page.sessions.length === 0 && page.messages.length === 0 && !page.next) {
    // Main has no history either: a new install. Nothing to rebuild, and nothing left pending.
    await db.meta.delete(restorePendingKey)
    return { rebuilt: false }
  }
  const { seq } = page
  let sessions = 0
  let messages = 0
  for (;;) {
    const written = await writePage(db, page, seq)
    sessions += written.sessions
    messages += written.messages
    options.onProgress?.(page.progress)
    if (!page.next) return { rebuilt: true, seq, sessions, messages }
    page = await api.historySnapshot({ cursor: page.next })
  }
}

/** One page in one transaction; the last page also records the seq through which Dexie now has everything. */
async function writePage(db: ParleyDatabase, page: HistorySnapshot, seq: number): Promise<{ sessions: number; messages: number }> {
  let sessions = 0
  let messages = 0
  await db.transaction('rw', [db.sessions, db.messages, db.meta], async () => {
    if (page.sessions.length > 0) await db.meta.put({ key: restorePendingKey, value: seq })
    for (const session of page.sessions) {
      const row = await db.sessions.get(session.id)
      if (row && row.seq >= seq) continue
      // A chat's unseen mark is the window's own: kept if the row has one.
      await db.sessions.put({ ...row, ...session, seq })
      sessions += 1
    }
    for (const { message, createdSeq } of page.messages) {
      // As for events: a message whose chat isn't here (deleted since) would be an orphan nobody can see.
      if (!(await db.sessions.get(message.sessionId))) continue
      const row = await db.messages.get(message.id)
      if (row && row.seq >= seq) continue
      await db.messages.put({ ...message, seq, createdSeq })
      messages += 1
    }
    if (page.next) return
    if ((await db.lastAppliedSeq()) < seq) await db.meta.put({ key: lastAppliedSeqKey, value: seq })
    await db.meta.delete(restorePendingKey)
  })
  return { sessions, messages }
}
