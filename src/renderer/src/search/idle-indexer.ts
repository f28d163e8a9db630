import Dexie, { type ObservabilitySet } from 'dexie'
import { foregroundReads } from '../db/foreground-reads'
import type { ParleyDatabase } from '../db/schema'
import { catchUpSearchIndex, unindexedAtLeast, type IndexProgress } from './search-index'

/**
 * What the idle indexer tells the window: a large gap waits for the first pass (`waiting`), the index is being caught
 * up after a large gap (the upgrade, a history rebuild), with how far it has got, or it has caught up for the
 * `passes`-th time (each pass that indexed something counts, so an open search dialog searches again), or it failed.
 */
export type IndexerState =
  | { kind: 'ready'; passes: number }
  | { kind: 'waiting' }
  | { kind: 'building'; progress: IndexProgress }
  | { kind: 'failed'; error: string }

export interface IdleIndexerOptions {
  onState: (state: IndexerState) => void
  /** How long the messages must stay unchanged before a pass (a burst of commits is indexed once, after it). */
  idleMs?: number
  /** Rows per transaction. */
  chunk?: number
  /** A gap at least this large is shown as "building" with progress. */
  showProgressFrom?: number
  /**
   * What the first pass waits for (Search: the window idle after its start, so that indexing what a reload left
   * never competes with the first paint; issue 11 item 4). Without it, the first pass runs at once.
   */
  startAfter?: () => Promise<void>
  /**
   * Changes before the first pass start no pass of their own (it indexes everything above the watermark): for a
   * restore copying 100,000 messages behind the window, which would otherwise start a pass at every pause in its
   * writes. Without it, a change is indexed once left alone, as at any other time.
   */
  changesWaitForStart?: boolean
}

/**
 * Messages indexed per transaction: ~200 ms of the database each, which a search typed meanwhile may wait behind.
 * 100 was tried and not kept: the long chat's e2e test failed 3 times in 7 (the list did not reach its end while
 * the indexer's many short read-write transactions over `messages` held its page reads), 0 in 4 with 500.
 */
export const indexChunk = 500

/**
 * Keeps the search index caught up with the messages, off the commits: one pass at the start (`startAfter`; it indexes whatever
 * a reload, an upgrade or a history rebuild left above the watermark), then one each time the messages have been
 * left alone for `idleMs` after a change. One pass at a time; a change during a pass asks for another. Answers a stop
 * function.
 */
export function startIdleIndexer(db: ParleyDatabase, options: IdleIndexerOptions): () => void {
  const idleMs = options.idleMs ?? 250
  const showFrom = options.showProgressFrom ?? 2000
  let going = true
  let running = false
  let again = false
  let passes = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const pass = async (): Promise<void> => {
    if (running) {
      again = true
      return
    }
    running = true
    try {
      do {
        again = false
        const read = await catchUpSearchIndex(db, {
          chunk: options.chunk ?? indexChunk,
          going: () => going,
          between: () => foregroundReads.idle(),
          onProgress: (progress) => going && progress.total >= showFrom && options.onState({ kind: 'building', progress })
        })
        if (read > 0) passes += 1
      } while (again && going)
      if (going) options.onState({ kind: 'ready', passes })
    } catch (error) {
      if (going) options.onState({ kind: 'failed', error: error instanceof Error ? error.message : String(error) })
    } finally {
      running = false
    }
  }

  const messagesTable = `idb://${db.name}/messages/`
  // `changesWaitForStart`: changes before the first pass are left to it.
  let begun = options.changesWaitForStart !== true
  const onMutated = (parts: ObservabilitySet): void => {
    if (!begun || !Object.keys(parts).some((part) => part.startsWith(messagesTable))) return
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      void pass()
    }, idleMs)
  }
  Dexie.on.storagemutated.subscribe(onMutated)
  const started = options.startAfter ? options.startAfter() : Promise.resolve()
  // While the first pass waits, a large gap is said at once, so a search meanwhile shows it is still indexing. Only
  // whether it is that large is read (one request for at most `showFrom` keys): counting 100,000 rows here held the
  // sidebar's first read (50,000 chats: first rows at 416 ms instead of ~240).
  if (options.startAfter) {
    unindexedAtLeast(db, showFrom).then(
      (large) => {
        if (large && going && passes === 0 && !running) options.onState({ kind: 'waiting' })
      },
      () => undefined
    )
  }
  void started.then(() => {
    begun = true
    return going ? pass() : undefined
  })
  return () => {
    going = false
    if (timer !== undefined) clearTimeout(timer)
    Dexie.on.storagemutated.unsubscribe(onMutated)
  }
}
