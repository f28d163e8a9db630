import Dexie, { type IntervalTree, type ObservabilitySet } from 'dexie'
import { foregroundReads } from '../db/foreground-reads'
import { ExternalStore } from '../external-store'
import type { ParleyDatabase, SessionRow } from '../db/schema'
import { compareSessions, patchRows, withinLoaded, type LoadedUpTo, type SessionKey } from './session-order'

/** The sidebar's chats as the window holds them. */
export interface SessionListSnapshot {
  /** Most recently active first: all of them once `complete`, the newest so far before. */
  rows: readonly SessionRow[]
  /** The same rows by id (App finds the open chat here, not by searching the list). */
  byId: ReadonlyMap<string, SessionRow>
  /** Every id the list has held since the window opened (`chooseSession`'s "listed before"). */
  listed: ReadonlySet<string>
  complete: boolean
}

export interface SessionListOptions {
  /** Rows read first: a screenful, so the sidebar paints before the rest is read. */
  firstPage: number
  /** Rows read at a time after that, each read a task short enough not to hold up a frame. */
  chunk: number
  /** Gives the browser its turn (to paint, to handle input, to run a search first) between reads. */
  pause: () => Promise<void>
  /**
   * After the first screenful, a reading is shown again only once it holds this many times the rows last shown (and
   * once it is whole): each showing makes the sidebar's virtual list take in the whole array again, so 50,000 chats
   * are shown 6 times (50, 300, 1,300, 5,300, 21,300, all), not 201 (issue 11: no long task at load).
   */
  publishGrowth: number
  onError: (error: unknown) => void
  /**
   * After a reading again that bulk writes kept asking for, the next one waits this long (default: as long as that
   * reading took), so that reading the list takes at most about half the page's time from a minute of writes.
   */
  restBetweenReadings?: (readingMs: number) => Promise<void>
}

export const defaultListOptions: SessionListOptions = {
  firstPage: 50,
  // 250 rows: one read is ~8 ms of the database, so a search typed meanwhile waits at most that long behind it.
  chunk: 250,
  publishGrowth: 4,
  // A search typed meanwhile goes first (db/foreground-reads.ts): the list is read behind it, not before it.
  pause: async () => {
    await new Promise((resolve) => setTimeout(resolve, 0))
    await foregroundReads.idle()
  },
  onError: (error) => console.error('Parley could not read the chats:', error)
}

/** Changes of more rows than this (an import, a rebuild) read the list again rather than row by row. */
const patchLimit = 200

/** One reading of the whole list: the rows read so far, and how far that is. */
interface Reading {
  rows: readonly SessionRow[]
  byId: Map<string, SessionRow>
  upTo: LoadedUpTo | undefined
  /** Published as it goes (the first reading), or only once complete (a reading again: the list stays as it was). */
  shown: boolean
  /** When it began (performance.now()). */
  startedAt: number
  /** How many rows it held when it was last published. */
  publishedRows: number
}

/** The rows after `key` in the sidebar's order, at least `limit` of them unless the table ends first. */
export async function sessionsAfter(db: ParleyDatabase, key: SessionKey | undefined, limit: number): Promise<SessionRow[]> {
  if (key === undefined) return db.sessions.orderBy('updatedAt').reverse().limit(limit).toArray()
  const ties = await db.sessions.where('updatedAt').equals(key.updatedAt).filter((row) => row.id < key.id).toArray()
  ties.sort(compareSessions)
  if (ties.length >= limit) return ties
  const older = await db.sessions.where('updatedAt').below(key.updatedAt).reverse().limit(limit - ties.length).toArray()
  return [...ties, ...older]
}

/** The single keys of a Dexie range set, or undefined when it holds a range (a bulk write, a clear). */
function singleKeys(tree: IntervalTree, into: string[] = []): string[] | undefined {
  if (tree.d === 0) return into
  const { from, to, l, r } = tree as { from: unknown; to: unknown; l?: IntervalTree | null; r?: IntervalTree | null }
  if (typeof from !== 'string' || from !== to) return undefined
  into.push(from)
  if (l && singleKeys(l, into) === undefined) return undefined
  if (r && singleKeys(r, into) === undefined) return undefined
  return into
}

/**
 * The chats, read in pieces so that 50,000 of them never make one long task: the newest screenful first, then the rest
 * in chunks with a pause between, on the `updatedAt` index (keyset: each chunk starts after the last row read). Writes
 * to the sessions table (this window's, or another's: Dexie tells of both) are applied row by row, so a new message
 * moves one row instead of reading 50,000 again; a bulk write reads the list again, behind the one shown.
 */
export class SessionList extends ExternalStore<SessionListSnapshot | undefined> {
  private reading: Reading = { rows: [], byId: new Map(), upTo: undefined, shown: true, publishedRows: 0, startedAt: 0 }
  private readonly listed = new Set<string>()
  private queue: Promise<void> = Promise.resolve()
  private changedIds = new Set<string>()
  private changedAll = false
  /** A bulk write came while a reading again was under way: one more follows it (it may have passed those rows). */
  private readAgainAfter = false
  private flushQueued = false
  private stopped = false

  constructor(
    private readonly db: ParleyDatabase,
    private readonly options: SessionListOptions = defaultListOptions
  ) {
    super(undefined)
  }

  /** Reads the list and follows its changes until the returned function is called. */
  start(): () => void {
    // A fresh reading each time (React's StrictMode starts, stops and starts again): an earlier one stops at its next piece.
    this.stopped = false
    this.reading = { rows: [], byId: new Map(), upTo: undefined, shown: true, publishedRows: 0, startedAt: performance.now() }
    const reading = this.reading
    const onMutated = (parts: ObservabilitySet): void => this.mutated(parts)
    Dexie.on.storagemutated.subscribe(onMutated)
    this.enqueue(() => this.readNext(reading))
    return () => {
      this.stopped = true
      Dexie.on.storagemutated.unsubscribe(onMutated)
    }
  }

  /** Settles once everything asked of the list so far is done (for tests). */
  async settled(): Promise<void> {
    for (let before: Promise<void> | undefined; before !== this.queue; ) {
      before = this.queue
      await before
    }
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(() => (this.stopped ? undefined : task())).catch(this.options.onError)
  }

  /** Reads the next piece of `reading`, then queues the one after (so row changes get their turn in between). */
  private async readNext(reading: Reading): Promise<void> {
    if (reading !== this.reading) return
    const first = reading.upTo === undefined
    const limit = first ? this.options.firstPage : this.options.chunk
    const rows = await sessionsAfter(this.db, reading.upTo?.kind === 'key' ? reading.upTo.key : undefined, limit)
    if (reading !== this.reading) return
    const last = rows.at(-1)
    // A row already here came in through a change while this piece was read: the change's copy is as new.
    const fresh = rows.filter((row) => !reading.byId.has(row.id))
    reading.rows = [...reading.rows, ...fresh]
    for (const row of fresh) {
      reading.byId.set(row.id, row)
      this.listed.add(row.id)
    }
    reading.upTo = rows.length < limit || last === undefined ? { kind: 'end' } : { kind: 'key', key: { id: last.id, updatedAt: last.updatedAt } }
    if (reading.upTo.kind === 'end') reading.shown = true
    const grownEnough = reading.rows.length >= reading.publishedRows * this.options.publishGrowth
    if (first || reading.upTo.kind === 'end' || grownEnough) this.publish(reading)
    if (reading.upTo.kind === 'end' && this.readAgainAfter) {
      this.readAgainAfter = false
      const took = performance.now() - reading.startedAt
      const rest = this.options.restBetweenReadings ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
      this.enqueue(async () => {
        await rest(took)
        this.readAgain()
      })
    }
    if (reading.upTo.kind === 'key') {
      await this.options.pause()
      this.enqueue(() => this.readNext(reading))
    }
  }

  private mutated(parts: ObservabilitySet): void {
    const tree = parts[`idb://${this.db.name}/sessions/`]
    if (tree === undefined) return
    const ids = singleKeys(tree)
    if (ids === undefined || this.changedIds.size + ids.length > patchLimit) this.changedAll = true
    else for (const id of ids) this.changedIds.add(id)
    if (this.flushQueued) return
    this.flushQueued = true
    this.enqueue(() => this.flush())
  }

  private async flush(): Promise<void> {
    this.flushQueued = false
    const ids = [...this.changedIds]
    const all = this.changedAll
    this.changedIds = new Set()
    this.changedAll = false
    if (all) {
      // A reading again under way goes on to its end and is shown, and one more follows it. Started over at each bulk
      // write, it would never be shown while they keep coming (a restore writes for a minute at 50,000 chats).
      if (!this.reading.shown) this.readAgainAfter = true
      else this.readAgain()
      return
    }
    if (ids.length === 0) return
    const reading = this.reading
    const rows = await this.db.sessions.bulkGet(ids)
    const changes = new Map(ids.map((id, index) => [id, rows[index]]))
    const upTo = reading.upTo ?? { kind: 'key', key: { id: '', updatedAt: Number.POSITIVE_INFINITY } }
    reading.rows = patchRows(reading.rows, changes, upTo)
    for (const [id, row] of changes) {
      if (row !== undefined && withinLoaded(row, upTo)) {
        reading.byId.set(id, row)
        this.listed.add(id)
      } else reading.byId.delete(id)
    }
    this.publish(reading)
  }

  /** Reads it all again; the list shown stays as it is until the new reading is complete. */
  private readAgain(): void {
    this.reading = { rows: [], byId: new Map(), upTo: undefined, shown: this.reading.upTo === undefined, publishedRows: 0, startedAt: performance.now() }
    const reading = this.reading
    this.enqueue(() => this.readNext(reading))
  }

  private publish(reading: Reading): void {
    if (!reading.shown || this.stopped) return
    reading.publishedRows = reading.rows.length
    this.replace({ rows: reading.rows, byId: reading.byId, listed: this.listed, complete: reading.upTo?.kind === 'end' })
  }
}
