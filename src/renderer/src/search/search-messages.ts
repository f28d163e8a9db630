import Dexie from 'dexie'
import type { Message } from '../../../shared'
import type { MessageRow, ParleyDatabase, SearchChunkRow } from '../db/schema'
import { chunkReads, type ChunkReads } from './chunk-cache'
import { HitPicking } from './hit-picking'
import { chunkSize, denseMark, listedMark, matchChunk, orderOf, parseTerm, type ChunkHit } from './search-chunks'
import type { SnippetPart } from './snippet'
import { queryWords, wordMatches, type QueryWord } from './words'

/** One message found. */
export interface SearchHit {
  sessionId: string
  messageId: string
  role: Message['role']
  createdAt: number
  /** Whether it holds every word of the query (such hits rank first). */
  allWords: boolean
  snippet: SnippetPart[]
}

/** The hits of one chat, under its title. */
export interface ChatResults {
  sessionId: string
  title: string | null
  hits: SearchHit[]
}

export interface SearchResults {
  /** Chats in the order of their best hit; at most `limit` hits in all. */
  chats: ChatResults[]
  /** How many messages the search found that match at least one word (the newest few, not all of them). */
  matched: number
}

export interface SearchOptions {
  /** How many hits at most (the first ones, ranked). */
  limit?: number
  /** Chats and messages to leave out: deleted, waiting out their Undo (sessions/pending-deletes.ts). */
  hidden?: ReadonlySet<string>
  /**
   * The chats the window already holds (the sidebar's list), by id: their titles are taken from here, and only the
   * chats it lacks (the list still being read) are read from Dexie. Each read is one IndexedDB request per chat.
   */
  listed?: ReadonlyMap<string, { title: string | null }>
}

export const noResults: SearchResults = { chats: [], matched: 0 }

/**
 * Searches every chat's finished messages for `query`: each of its words is a prefix of a word in the message (a
 * one-letter word must be whole), case and diacritics aside. Hits with every word rank first, then the newest; they
 * come grouped by chat with a marked snippet each. Only the hits shown (and a few the index was wrong about) are read
 * as rows, each checked against its current text. This is also the bench's "first 50 results" figure.
 */
export async function searchMessages(db: ParleyDatabase, query: string, options: SearchOptions = {}): Promise<SearchResults> {
  const words = queryWords(query)
  if (words.length === 0) return noResults
  const limit = options.limit ?? 50
  const hidden = options.hidden ?? new Set<string>()
  // Answered as soon as the results are made, not when the read-only transaction has closed after them: waiting for
  // its `complete` took up to 4 ms of the ~10 a search takes, enough to miss the frame the results could be drawn in.
  const tables = [db.meta, db.searchChunks, db.searchTerms, db.messages, db.sessions]
  return answeredEarly((answer) => db.transaction('r', tables, async () => {
    // Hidden hits are left out after reading, so find enough that `limit` remain after the Undo-able deletions.
    const candidates = await findCandidates(db, await chunkReads(db), words, limit + hidden.size)
    const picking = new HitPicking(candidates.values(), words, limit, hidden)
    const titles = new Map<string, string | null>()
    for (let ids = picking.next(); ids; ids = picking.next()) {
      const messages = await db.messages.bulkGet(ids)
      const chats = [...new Set(messages.flatMap((message) => (message && !titles.has(message.sessionId) ? [message.sessionId] : [])))]
      const unlisted = chats.filter((id) => {
        const chat = options.listed?.get(id)
        if (chat) titles.set(id, chat.title)
        return !chat
      })
      if (unlisted.length > 0) for (const session of await db.sessions.bulkGet(unlisted)) if (session) titles.set(session.id, session.title)
      picking.take(messages, titles)
    }
    const results = picking.results(titles, candidates.size)
    // Outside the transaction's zone: code after `await searchMessages(…)` would otherwise run in it, and its own
    // reads of other tables failed (NotFoundError, seen in the migration test).
    Dexie.ignoreTransaction(() => answer(results))
  }))
}

/**
 * The newest chunks of the index, the ones every search reads first (`NewestScan`), with the rows of their messages
 * and the titles of their chats, read ahead (`newest-sample.ts`).
 */
export interface NewestSample {
  /** The newest chunk's id (0: nothing is indexed), and each chunk read by id. */
  newestId: number
  chunks: ReadonlyMap<number, SearchChunkRow | undefined>
  /** Their messages' rows by id (a message whose row is gone has none). */
  rows: ReadonlyMap<string, MessageRow>
  /** Their chats' titles by id (a chat that is gone has none). */
  titles: ReadonlyMap<string, string | null>
}

/**
 * What `searchMessages` would answer, from a sample read ahead and without waiting: a common word or a short prefix
 * (every key of a word being typed, until it gets rare) is answered by the newest chunks alone. Nothing (undefined)
 * when the query needs more than the sample holds (a rarer word's postings in older chunks), or there is no sample yet
 * and the query has a word. The dialog shows this in the render that draws the typed key, and searches IndexedDB only
 * when this can't answer.
 */
export function searchNewest(sample: NewestSample | undefined, query: string, options: SearchOptions = {}): SearchResults | undefined {
  const words = queryWords(query)
  if (words.length === 0) return noResults
  if (!sample) return undefined
  const limit = options.limit ?? 50
  const hidden = options.hidden ?? new Set<string>()
  const want = limit + hidden.size
  const newest = sample.chunks.get(sample.newestId)
  if (!newest) return sample.newestId === 0 ? noResults : undefined
  const scan = new NewestScan(words, newest)
  for (let older = scan.nextOlder(want); older !== undefined; older = scan.nextOlder(want)) {
    if (!sample.chunks.has(older)) return undefined
    scan.takeOlder(sample.chunks.get(older))
  }
  if (!scan.decided(want)) return undefined
  const picking = new HitPicking(scan.found.values(), words, limit, hidden)
  const titles = new Map<string, string | null>()
  for (let ids = picking.next(); ids; ids = picking.next()) {
    const messages = ids.map((id) => sample.rows.get(id))
    for (const message of messages) {
      if (!message || titles.has(message.sessionId)) continue
      const listed = options.listed?.get(message.sessionId)
      const title = listed ? listed.title : sample.titles.get(message.sessionId)
      if (title !== undefined) titles.set(message.sessionId, title)
    }
    picking.take(messages, titles)
  }
  return picking.results(titles, scan.found.size)
}

/**
 * The chunks a search's first step may read, newest first, whatever the query: the newest, and the ones before it
 * while they hold fewer than `newestSample` messages (a query no message answers reads them all).
 */
export async function readNewestChunks(chunks: ChunkReads): Promise<Pick<NewestSample, 'newestId' | 'chunks'>> {
  const newest = await chunks.newest()
  const read = new Map<number, SearchChunkRow | undefined>()
  if (!newest) return { newestId: 0, chunks: read }
  read.set(newest.id, newest)
  const scan = new NewestScan([], newest)
  for (let older = scan.nextOlder(Infinity); older !== undefined; older = scan.nextOlder(Infinity)) {
    const [row] = await chunks.get([older])
    read.set(older, row)
    scan.takeOlder(row)
  }
  return { newestId: newest.id, chunks: read }
}

/** The value `work` hands to `answer`, as soon as it does; `work`'s failure if it fails first. */
export function answeredEarly<T>(work: (answer: (value: T) => void) => Promise<void>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    work(resolve).then(() => reject(new Error('the search ended without an answer')), reject)
  })
}

/** How many messages every search reads from the newest chunks (whole chunks): how common each word is, from them. */
export const newestSample = 250
/**
 * The most terms read for a query word (a key cursor: about 0.2 ms a key in Chromium under load); a word with more is
 * treated as common, its hits found in the chunks.
 */
export const mostTerms = 400
/** The most older chunks read whole for common words: beyond them, a message holding every word may be missed. */
export const mostChunksScanned = 8
/** Older chunks read whole per request, when every query word is common. */
export const chunksPerRead = 2

/** Candidates by message id. */
type Candidates = Map<string, ChunkHit>

/**
 * A search's reading of the chunks, newest first: the candidates found so far, how many hold every query word, and
 * how many messages hold each word (how common it is). Its first step is the same for every query: the newest chunk,
 * and the ones before it while they hold fewer than `newestSample` messages and fewer than `want` hold every word.
 */
class NewestScan {
  readonly found: Candidates = new Map()
  /** Candidates holding every query word. */
  full = 0
  readonly perWord: number[]
  /** Messages in the chunks read. */
  scanned = 0
  /** The oldest chunk the first step has read. */
  oldestRead: number

  constructor(
    private readonly words: readonly QueryWord[],
    newest: SearchChunkRow
  ) {
    this.perWord = words.map(() => 0)
    this.oldestRead = newest.id
    this.take(newest)
  }

  take(chunk: SearchChunkRow | undefined): void {
    if (!chunk) return
    const matched = matchChunk(chunk, this.words)
    this.scanned += chunk.messageIds.length
    matched.perWord.forEach((count, at) => (this.perWord[at] = (this.perWord[at] ?? 0) + count))
    for (const hit of matched.hits) {
      this.found.set(hit.messageId, hit)
      if (hit.matched === this.words.length) this.full += 1
    }
  }

  /** The chunk the first step reads next (the open chunk may be new, so the one before it too), or none. */
  nextOlder(want: number): number | undefined {
    return this.scanned < newestSample && this.oldestRead > 1 && this.full < want ? this.oldestRead - 1 : undefined
  }

  takeOlder(chunk: SearchChunkRow | undefined): void {
    this.oldestRead -= 1
    this.take(chunk)
  }

  /** Whether the first step found the results: every chunk was read, or enough hold every word. */
  decided(want: number): boolean {
    return this.oldestRead <= 1 || this.full >= want
  }
}

/**
 * The messages that may match, with how many query words each holds at most, enough to rank the best `want`.
 *
 * 1. The newest chunk is read whole (and the one before, while they hold fewer than `newestSample` messages): a
 *    common word or a short prefix has its newest `want` hits there, and nothing else is read.
 * 2. Otherwise each rarer word's terms in every older chunk (one index range per word); the common words'
 *    aren't read, and every candidate counts them as held (its row's text says). A chunk where a rarer word is dense
 *    is read whole. When every word is common, the older chunks are read whole, newest first, until `want` messages
 *    hold all the words or `mostChunksScanned` were read (a message with every word beyond them is missed: a limit).
 *
 * "Newest" is the order the messages were indexed, which follows the order they were written.
 */
async function findCandidates(db: ParleyDatabase, chunks: ChunkReads, words: readonly QueryWord[], want: number): Promise<Candidates> {
  const newest = await chunks.newest()
  if (!newest) return new Map()
  const scan = new NewestScan(words, newest)
  for (let older = scan.nextOlder(want); older !== undefined; older = scan.nextOlder(want)) scan.takeOlder((await chunks.get([older]))[0])
  if (scan.decided(want)) return scan.found
  const { found, perWord, oldestRead, scanned } = scan

  // A word whose share of the newest messages says it has more than `mostTerms` in all is common: its terms are not
  // read (a key cursor, slow per key), its hits are found in the chunks.
  const indexed = newest.id * chunkSize
  const postings = await Promise.all(
    words.map((wanted, at) => (((perWord[at] ?? 0) / scanned) * indexed > mostTerms ? undefined : postingsOf(db, wanted, oldestRead)))
  )
  const read = postings.filter((posting): posting is Postings => posting !== undefined)
  if (read.length === 0) {
    // Every word is common: its hits are dense, a few chunks hold `want` (of each word; of all of them, perhaps not).
    for (let id = oldestRead - 1; id >= 1 && scan.full < want && oldestRead - id < mostChunksScanned; id -= chunksPerRead) {
      for (const row of await chunks.get(Array.from({ length: Math.min(chunksPerRead, id) }, (_, at) => id - at))) scan.take(row)
    }
    return found
  }
  // Chunks where a rarer word is dense are read whole, newest first, at most `mostChunksScanned`.
  const dense = [...new Set(read.flatMap((posting) => posting.dense))].sort((a, b) => b - a)
  for (let at = 0; at < dense.length && at < mostChunksScanned && scan.full < want; at += chunksPerRead) {
    for (const row of await chunks.get(dense.slice(at, at + chunksPerRead))) scan.take(row)
  }
  const common = words.length - read.length
  const counted = new Map<string, ChunkHit>()
  for (const posting of read) {
    for (const { messageId, order } of posting.listed) {
      const known = counted.get(messageId)
      if (known) known.matched += 1
      else counted.set(messageId, { messageId, order, matched: 1 + common })
    }
  }
  for (const [messageId, hit] of counted) if (!found.has(messageId)) found.set(messageId, hit)
  return found
}

/** A query word's postings in the older chunks: the messages listed, and the chunks where it is dense. */
interface Postings {
  listed: { messageId: string; order: number }[]
  dense: number[]
}

/**
 * A query word's postings in the chunks before `before` (each message once), from its terms; none (the word is
 * common) when it has more than `mostTerms`.
 */
async function postingsOf(db: ParleyDatabase, wanted: QueryWord, before: number): Promise<Postings | undefined> {
  const index = db.searchTerms.where('terms')
  const range = wanted.kind === 'whole' ? index.between(`${wanted.text}${listedMark}`, `${wanted.text}${denseMark}\uffff`, true, true) : index.startsWith(wanted.text)
  const terms = await range.limit(mostTerms + 1).keys()
  if (terms.length > mostTerms) return undefined
  const listed = new Map<string, number>()
  const dense = new Set<number>()
  for (const key of terms) {
    const term = typeof key === 'string' ? parseTerm(key) : undefined
    if (!term || !wordMatches(term.word, wanted)) continue
    if (term.kind === 'dense') {
      if (term.chunk < before) dense.add(term.chunk)
    } else if (term.order < orderOf(before, 0)) listed.set(term.messageId, Math.max(listed.get(term.messageId) ?? 0, term.order))
  }
  return { listed: [...listed].map(([messageId, order]) => ({ messageId, order })), dense: [...dense] }
}
