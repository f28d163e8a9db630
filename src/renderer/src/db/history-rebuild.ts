import type { HistoryPage, HistoryState, ParleyApi } from '../../../shared'
import { ParleyError } from '../../../shared'
import { resetSearchIndex } from '../search/search-index'
import { lastAppliedSeqKey, type MessageRow, type ParleyDatabase, type SessionRow } from './schema'

/** How far a rebuild has got: rows written so far, of the snapshot's totals. */
export interface RebuildProgress {
  messages: number
  totalMessages: number
  sessions: number
  totalSessions: number
}

export interface RebuildOptions {
  api: Pick<ParleyApi, 'historySnapshot'>
  db: ParleyDatabase
  onProgress?: (progress: RebuildProgress) => void
  /** A test seam: called after each page is committed, before the next is asked for. */
  afterPage?: (page: HistoryPage) => Promise<void> | void
  /** How many times a snapshot main let go (`SnapshotExpired`) is started again. */
  attempts?: number
}

/**
 * Whether this IndexedDB must be rebuilt from main: main can no longer replay every event after the last one it
 * committed (it was lost, is new, or another window acknowledged events this one never got).
 */
export function needsRebuild(lastAppliedSeq: number, state: HistoryState): boolean {
  return lastAppliedSeq < state.replayableAfter
}

/**
 * Rebuilds IndexedDB from main's history, page by page (issue 9 item 3), and answers the seq it is consistent with.
 *
 * - The tables are emptied first and `lastAppliedSeq` is written only with the last page: a rebuild cut short (a
 *   reload, a closed window) leaves `lastAppliedSeq` at 0, so the next start rebuilds again from the beginning.
 * - Every page of one snapshot holds exactly what the events through its `seq` made, so every row is written with
 *   that seq as its watermark (`seq`, and `leafSeq` for the leaf). The applier then subscribes from it: each later
 *   event, whenever it was published, is applied once, and an earlier one replayed would change nothing.
 */
export async function rebuildHistory(options: RebuildOptions): Promise<number> {
  const attempts = options.attempts ?? 3
  for (let attempt = 1; ; attempt++) {
    try {
      return await rebuildOnce(options)
    } catch (error) {
      if (!(error instanceof ParleyError && error.code === 'SnapshotExpired') || attempt >= attempts) throw error
    }
  }
}

async function rebuildOnce({ api, db, onProgress, afterPage }: RebuildOptions): Promise<number> {
  // The search index is emptied with the rows; the idle pass indexes the rows written (search/search-index.ts).
  await db.transaction('rw', [db.sessions, db.messages, db.meta, db.searchEntries], () =>
    Promise.all([
      db.sessions.clear(),
      db.messages.clear(),
      db.searchEntries.clear(),
      db.meta.delete(lastAppliedSeqKey),
      resetSearchIndex(db)
    ])
  )
  const written = { sessions: 0, messages: 0 }
  let coming: Promise<HistoryPage> = api.historySnapshot({ cursor: null })
  for (;;) {
    const page = await coming
    const last = page.next === null
    // The next page is asked for while this one is written: main reads, the browser writes, at the same time.
    if (page.next) coming = api.historySnapshot({ cursor: page.next })
    // Not left unhandled if this page's write fails first.
    coming.catch(() => undefined)
    const messages = page.messages.map((logged) => messageRow(logged, page.seq))
    await db.transaction('rw', [db.sessions, db.messages, db.meta, db.searchEntries], () =>
      Promise.all([
        page.sessions.length > 0 ? db.sessions.bulkPut(page.sessions.map((session) => sessionRow(session, page.seq))) : undefined,
        messages.length > 0 ? db.messages.bulkPut(messages) : undefined,
        last ? db.meta.put({ key: lastAppliedSeqKey, value: page.seq }) : undefined
      ])
    )
    written.sessions += page.sessions.length
    written.messages += page.messages.length
    onProgress?.({
      messages: written.messages,
      totalMessages: Math.max(page.totals.messages, written.messages),
      sessions: written.sessions,
      totalSessions: Math.max(page.totals.sessions, written.sessions)
    })
    await afterPage?.(page)
    if (last) return page.seq
  }
}

function sessionRow({ leafId, ...session }: HistoryPage['sessions'][number], seq: number): SessionRow {
  return { ...session, seq, ...(leafId === null ? {} : { leafId }), leafSeq: seq }
}

function messageRow({ message, createdSeq }: HistoryPage['messages'][number], seq: number): MessageRow {
  return { ...message, seq, createdSeq }
}
