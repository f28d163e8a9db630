import type { HistoryPage, HistoryState, ParleyApi } from '../../../shared'
import { historyPageLimits, ParleyError } from '../../../shared'
import { resetSearchIndex } from '../search/search-index'
import type { CopyBackState } from '../notices/copy-back'
import { tryCopyBack } from './copy-back'
import { lastAppliedSeqKey, type MessageRow, type MetaRow, type ParleyDatabase, type SessionRow } from './schema'

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
  /**
   * How many times a rebuild is started again: main let its snapshot go (`SnapshotExpired`), or main went away mid-page
   * (`Disconnected`: a crash and restart; the bridge reconnects by itself, and the next call waits for it).
   */
  attempts?: number
  /** Rows (chats and messages) written per transaction: few enough that putting them is a short task. */
  rowsPerWrite?: number
  /** Gives the browser its turn (to paint the progress, to handle input) between two transactions. */
  pause?: () => Promise<void>
  /**
   * Called once, when the first page is written and more pages follow: the window may show its chats while the rest
   * is copied (main serves the newest chats first, each chat's newest messages first). From then on every write goes
   * through Dexie, so what the window shows (its live queries, the chat list) hears of it. The copy goes on once what
   * it answers settles: the window's first drawing does not share the page with the copy's writes.
   */
  onReadable?: () => Promise<void> | void
  /**
   * The window is shown early (`onReadable`) only when more than this many rows are left after the first page: fewer
   * are copied first, in a moment, so a small history never shows the restoring banner nor refuses a change meanwhile.
   */
  showEarlyOver?: number
}

/** Putting a row took 0.17–0.27 ms of the page's time under load 11–14 (a CPU profile): 100 are 17–27 ms. */
export const defaultRowsPerWrite = 100

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

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
export async function rebuildHistory(options: RebuildOptions, shown: Shown = { now: false }): Promise<number> {
  const attempts = options.attempts ?? defaultAttempts
  for (let attempt = 1; ; attempt++) {
    try {
      return await rebuildOnce(options, shown)
    } catch (error) {
      if (!startsAgain(error) || attempt >= attempts) throw error
    }
  }
}

/**
 * Whether the window shows its chats already (`onReadable` was called): a rebuild started again then (main restarted,
 * or let events go meanwhile) writes every row where the window hears of it, from its first page on.
 */
interface Shown {
  now: boolean
}

/** Main restarting (a crash) a few times over while the window restores is still waited out; more is an error. */
const defaultAttempts = 5

/** A snapshot main no longer holds, or a call main's restart cut off: asked again, the answer can still come. */
function startsAgain(error: unknown): boolean {
  return error instanceof ParleyError && (error.code === 'SnapshotExpired' || error.code === 'Disconnected')
}

export interface RestoreOptions extends Pick<RebuildOptions, 'db' | 'attempts' | 'onReadable' | 'afterPage'> {
  api: Pick<ParleyApi, 'historyState' | 'historySnapshot' | 'restoreLog' | 'finishLogRestore'>
  /** Called once, when a rebuild is found needed: answers where its progress goes (the window shows it whole). */
  rebuilding?: () => (progress: RebuildProgress) => void
  /** Called once, when main asks for this window's copy back: answers where its progress goes (chats sent, of all). */
  copyingBack?: () => (done: number, total: number) => void
}

/**
 * Rebuilds IndexedDB from main's log when main can no longer replay what it lacks (issue 9 item 3). Asked again after
 * each rebuild: if main let events go meanwhile (its replay ring overflowed, another window acknowledged them), the
 * rebuild runs again. A crash of main while the window asks (`Disconnected`) is waited out as the rebuild's are, so a
 * window opened during main's restart starts once main is back, not on an error.
 */
export async function restoreIfLost(options: RestoreOptions): Promise<void> {
  const { api, db } = options
  const attempts = options.attempts ?? defaultAttempts
  let onProgress: ((progress: RebuildProgress) => void) | undefined
  /** Until its copy was sent back, or it was rebuilt from main (then it holds only main's own): once a start. */
  let mayGiveBack = true
  const shown: Shown = { now: false }
  for (let rounds = 0, cutOff = 0; rounds < 3; ) {
    let state: HistoryState
    try {
      state = await api.historyState()
    } catch (error) {
      if (!startsAgain(error) || ++cutOff >= attempts) throw error
      continue
    }
    if (state.logRestoreWanted && mayGiveBack && (await db.lastAppliedSeq()) > 0) {
      // Main's message store was damaged and replaced, and this window holds a copy: it goes back first, and nothing is
      // rebuilt before that is done (a rebuild would copy main's loss over this window's copy). Cut off, the window
      // keeps its copy as it is, and main asks again at the next start.
      if (!(await tryCopyBack({ api, db, ...(options.copyingBack ? { onProgress: options.copyingBack() } : {}) }))) return
      mayGiveBack = false
      continue
    }
    if (!needsRebuild(await db.lastAppliedSeq(), state)) return
    onProgress ??= options.rebuilding?.()
    await rebuildHistory(
      {
        api,
        db,
        attempts,
        ...(onProgress ? { onProgress } : {}),
        ...(options.onReadable ? { onReadable: options.onReadable } : {}),
        ...(options.afterPage ? { afterPage: options.afterPage } : {})
      },
      shown
    )
    mayGiveBack = false
    rounds += 1
  }
}

async function rebuildOnce(options: RebuildOptions, shown: Shown): Promise<number> {
  const { api, db, onProgress, afterPage, onReadable, rowsPerWrite = defaultRowsPerWrite, pause = nextTask } = options
  const showEarlyOver = options.showEarlyOver ?? historyPageLimits.rows
  // The search index is emptied with the rows and its watermark set back to 0: search's idle pass indexes the rows
  // afterwards, once the window is up (search/idle-indexer.ts). Indexing each page here made the rebuild 6× slower
  // (5,000 chats: 99 s against 16 s, decisions.md), and the window shows nothing until the rebuild is done.
  await db.transaction('rw', [db.sessions, db.messages, db.meta, db.searchChunks, db.searchTerms], () =>
    Promise.all([
      db.sessions.clear(),
      db.messages.clear(),
      db.meta.delete(lastAppliedSeqKey),
      resetSearchIndex(db)
    ])
  )
  const written = { sessions: 0, messages: 0 }
  let transactions = 0
  let coming: Promise<HistoryPage> = api.historySnapshot({ cursor: null })
  for (;;) {
    const page = await coming
    const last = page.next === null
    // The next page is asked for while this one is written: main reads, the browser writes, at the same time.
    if (page.next) coming = api.historySnapshot({ cursor: page.next })
    // Not left unhandled if this page's write fails first.
    coming.catch(() => undefined)
    const writes = writesOf(page, rowsPerWrite)
    // Two writes in flight: the next one's rows are put while the one before commits, so the browser's database and
    // this page are busy at the same time. Same-table transactions commit in the order they were made.
    let previous: Promise<void> = Promise.resolve()
    for (const [index, write] of writes.entries()) {
      // A short task each, with the browser's turn in between: never one long task of writes (issue 11).
      if (transactions > 0) await pause()
      const seq = last && index === writes.length - 1 ? page.seq : undefined
      // `lastAppliedSeq` goes with the last rows, and only once every write before them has committed: a rebuild cut
      // short (or failed) leaves it unwritten, and the next start rebuilds from the beginning.
      if (seq !== undefined) await previous
      transactions += 1
      const committed = (shown.now ? commitObservedWrite(db, write, seq) : commitWrite(db, write, seq))
        .then(() => {
          written.sessions += write.sessions.length
          written.messages += write.messages.length
          onProgress?.({
            messages: written.messages,
            totalMessages: Math.max(page.totals.messages, written.messages),
            sessions: written.sessions,
            totalSessions: Math.max(page.totals.sessions, written.sessions)
          })
        })
      // Not left unhandled if the write before it fails first.
      committed.catch(() => undefined)
      await previous
      previous = committed
    }
    await previous
    await afterPage?.(page)
    if (last) return page.seq
    const left = page.totals.sessions + page.totals.messages - written.sessions - written.messages
    if (onReadable && !shown.now && left > showEarlyOver) {
      shown.now = true
      await onReadable()
    }
  }
}

/**
 * One write in its own IndexedDB transaction, put straight through IndexedDB. The rows' transactions are relaxed (no
 * flush to disk each: Chromium flushes every "default" one): until the last one, which records the seq and is strict,
 * a rebuild cut short is started again from the beginning anyway, and the strict one flushes those before it. Dexie
 * is not in the way: nothing observes the tables while the window rebuilds (the app is not shown yet).
 */
export function commitWrite(db: ParleyDatabase, write: RowWrite, seq: number | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const stores = [db.sessions.name, db.messages.name, db.meta.name]
    const transaction = db.backendDB().transaction(stores, 'readwrite', { durability: seq === undefined ? 'relaxed' : 'strict' })
    transaction.oncomplete = () => resolve()
    transaction.onabort = () => reject(transaction.error ?? new Error('The rebuild could not write its rows.'))
    try {
      const sessions = transaction.objectStore(db.sessions.name)
      for (const row of write.sessions) sessions.put(row)
      const messages = transaction.objectStore(db.messages.name)
      for (const row of write.messages) messages.put(row)
      if (seq !== undefined) transaction.objectStore(db.meta.name).put({ key: lastAppliedSeqKey, value: seq } satisfies MetaRow)
    } catch (error) {
      // A row IndexedDB refuses (no key, a value it can't clone): nothing of this write is kept.
      transaction.abort()
      reject(error)
    }
  })
}

/**
 * One write through Dexie, for a window already showing its chats while the rest is copied: Dexie tells its live
 * queries and the chat list of exactly the rows written (a raw write would leave them, and Dexie's query cache, as
 * they were).
 */
export async function commitObservedWrite(db: ParleyDatabase, write: RowWrite, seq: number | undefined): Promise<void> {
  await db.transaction('rw', [db.sessions, db.messages, db.meta], async () => {
    await db.sessions.bulkPut(write.sessions)
    await db.messages.bulkPut(write.messages)
    if (seq !== undefined) await db.meta.put({ key: lastAppliedSeqKey, value: seq } satisfies MetaRow)
  })
}

/** One transaction's rows. */
export interface RowWrite {
  sessions: SessionRow[]
  messages: MessageRow[]
}

/**
 * A page's rows in writes of at most `rowsPerWrite` rows, chats first (the sidebar's rows), in the page's order; a
 * page with no rows is still one (empty) write, so the last page always records its seq.
 */
export function writesOf(page: HistoryPage, rowsPerWrite: number): RowWrite[] {
  const size = Math.max(1, Math.floor(rowsPerWrite))
  const sessions = page.sessions.map((session) => sessionRow(session, page.seq))
  const messages = page.messages.map((logged) => messageRow(logged, page.seq))
  const writes: RowWrite[] = []
  for (let at = 0; at < sessions.length + messages.length || writes.length === 0; at += size) {
    const end = at + size
    writes.push({
      sessions: sessions.slice(at, end),
      messages: messages.slice(Math.max(0, at - sessions.length), Math.max(0, end - sessions.length))
    })
  }
  return writes
}

function sessionRow({ leafId, ...session }: HistoryPage['sessions'][number], seq: number): SessionRow {
  return { ...session, seq, ...(leafId === null ? {} : { leafId }), leafSeq: seq }
}

function messageRow({ message, createdSeq }: HistoryPage['messages'][number], seq: number): MessageRow {
  return { ...message, seq, createdSeq }
}

/**
 * For a window already open when main started again (browser mode's page reconnects by itself): if main found its
 * message store damaged and waits for a copy, this window's goes back now, not at its next load, and `show` hears how
 * it goes (a banner's states: the chats sent, what main put back, or that it failed). Never throws.
 */
export async function giveBackIfWanted(options: Pick<RestoreOptions, 'api' | 'db'>, show: (state: CopyBackState) => void = () => undefined): Promise<void> {
  const given = await tryCopyBack(
    { ...options, onProgress: (done, total) => show({ phase: 'sending', done, total }), onFinished: (result) => show({ phase: 'done', result }) },
    async () => (await options.api.historyState()).logRestoreWanted === true
  )
  if (!given) show({ phase: 'failed' })
}
