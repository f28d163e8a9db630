import { textsOf, type Message } from '../../../shared'
import type { ParleyDatabase, SearchEntryKey, SearchEntryRow } from '../db/schema'
import { entryKey } from './search-index'
import { candidatesOf, groupByChat, topCandidates, type Candidate } from './ranking'
import { snippetOf, type SnippetPart } from './snippet'
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
}

export const noResults: SearchResults = { chats: [], matched: 0 }

/**
 * Searches every chat's finished messages for `query`: each of its words is a prefix of a word in the message (a
 * one-letter word must be whole), case and diacritics aside. Hits with every word rank first, then the newest; they
 * come grouped by chat with a marked snippet each. Only the `limit` hits shown are read as rows, and each is checked
 * against the row's current text. This is also the bench's "first 50 results" figure.
 */
export async function searchMessages(db: ParleyDatabase, query: string, options: SearchOptions = {}): Promise<SearchResults> {
  const words = queryWords(query)
  if (words.length === 0) return noResults
  const limit = options.limit ?? 50
  const hidden = options.hidden ?? new Set<string>()
  return db.transaction('r', [db.searchEntries, db.messages, db.sessions], async () => {
    // Hidden hits are left out after finding, so find enough that `limit` remain after the Undo-able deletions.
    const found = await findCandidates(db, words, limit + hidden.size)
    const candidates = found.filter((c) => !hidden.has(c.sessionId) && !hidden.has(c.messageId))
    const top = topCandidates(candidates, limit)
    const sessionIds = [...new Set(top.map((candidate) => candidate.sessionId))]
    const [messages, sessions] = await Promise.all([
      db.messages.bulkGet(top.map((candidate) => candidate.messageId)),
      db.sessions.bulkGet(sessionIds)
    ])
    const titles = new Map(sessions.flatMap((session) => (session ? [[session.id, session.title] as const] : [])))
    const hits = top.flatMap((candidate, at): SearchHit[] => {
      const message = messages[at]
      if (!message || message.status === 'streaming' || !titles.has(candidate.sessionId)) return []
      const { sessionId, messageId, createdAt, matched } = candidate
      const snippet = snippetOf(textsOf(message).text, words)
      // The row's text is what is shown and checked: an entry that no longer matches it finds nothing.
      if (!snippet.some((part) => part.marked)) return []
      return [{ sessionId, messageId, role: message.role, createdAt, allWords: matched === words.length, snippet }]
    })
    const chats = groupByChat(hits).map(({ sessionId, hits }) => ({ sessionId, title: titles.get(sessionId) ?? null, hits }))
    return { chats, matched: candidates.length }
  })
}

/** Index entries read per request while scanning the newest. */
export const scanPage = 128
/** How many of the newest entries a search scans before it turns to the `words` index (common words end here). */
export const scanBudget = 512
/** The most index keys read for one query word: a rarer word is read whole, a commoner one only its newest this many. */
export const mostKeysPerWord = 1000
/** The same with several words: the rarest is walked whole when it has fewer; the others only count partial hits. */
export const mostKeysPerWordOfSeveral = 250

type Found = Map<string, Candidate>

function keep(found: Found, key: SearchEntryKey, matched: number): void {
  const [createdAt, sessionId, messageId] = key
  const known = found.get(messageId)
  if (!known) found.set(messageId, { createdAt, sessionId, messageId, matched })
  else if (known.matched < matched) known.matched = matched
}

function matchedIn(entry: SearchEntryRow, words: readonly QueryWord[]): number {
  let matched = 0
  for (const wanted of words) if (entry.words.some((word) => wordMatches(word, wanted))) matched += 1
  return matched
}

/**
 * The messages that match at least one query word, enough of them to rank the best `want`; every message holding all
 * the words among them when the rarest word has fewer than `mostKeysPerWord` entries.
 *
 * 1. The newest entries are scanned, a page at a time, up to `scanBudget`: a word in many messages (the slow case
 *    for an index, whose every entry read costs a lookup in Chromium) has its newest `want` hits here. The scan
 *    stops early when the rate of hits so far says the budget would not find enough.
 * 2. Otherwise each word's keys come from the `words` index, at most `mostKeysPerWord`: newest first for a whole
 *    word; a prefix's whole range when it is that rare, else the newest of each word it expands to in the scanned
 *    entries. With several words, the rarest one's entries are walked newest first and checked for the others.
 */
async function findCandidates(db: ParleyDatabase, words: readonly QueryWord[], want: number): Promise<Candidate[]> {
  const found: Found = new Map()
  let full = 0
  let after: SearchEntryKey | undefined
  const seen = new Set<string>()
  for (let scanned = 0; scanned < scanBudget; ) {
    const from = after
    const page = await (from === undefined ? db.searchEntries.orderBy(':id') : db.searchEntries.where(':id').below(from)).reverse().limit(scanPage).toArray()
    for (const entry of page) {
      const matched = matchedIn(entry, words)
      if (matched === 0) continue
      keep(found, entryKey(entry), matched)
      if (matched === words.length) full += 1
      for (const word of entry.words) seen.add(word)
    }
    scanned += page.length
    const last = page.at(-1)
    // Every entry scanned, or the newest `want` with every word found: nothing older can rank above them.
    if (!last || page.length < scanPage || full >= want) return [...found.values()]
    // At the rate found so far, would the rest of the budget find enough? If not, the index is quicker.
    if (full === 0 || ((want - full) * scanned) / full > scanBudget - scanned) break
    after = entryKey(last)
  }
  // One word needs only the newest `want` of each indexed word; several need the rarest one's entries whole.
  const cap = words.length === 1 ? mostKeysPerWord : mostKeysPerWordOfSeveral
  const each = words.length === 1 ? want : cap
  const keysPerWord = await Promise.all(words.map((word) => keysOf(db, word, each, want, seen, cap)))
  if (words.length === 1) {
    for (const key of keysPerWord[0] ?? []) keep(found, key, 1)
    return [...found.values()]
  }
  // Messages with some of the words, counted from each word's keys.
  for (const candidate of candidatesOf(keysPerWord)) keep(found, [candidate.createdAt, candidate.sessionId, candidate.messageId], Math.min(candidate.matched, words.length - 1))
  // Messages with all of them: the rarest word's entries, newest first, checked for the others.
  const rarest = keysPerWord.reduce((fewest, keys) => (keys.length < fewest.length ? keys : fewest))
  const newestFirst = [...rarest].sort((a, b) => b[0] - a[0])
  for (let at = 0; at < newestFirst.length && full < want; at += scanPage) {
    const entries = await db.searchEntries.bulkGet(newestFirst.slice(at, at + scanPage))
    for (const entry of entries) {
      if (!entry || matchedIn(entry, words) !== words.length) continue
      const known = found.get(entry.messageId)
      if (known?.matched === words.length) continue
      keep(found, entryKey(entry), words.length)
      full += 1
    }
  }
  return [...found.values()]
}

/** A prefix with fewer indexed words than this is read word by word, newest first; with more, as one range. */
export const mostExpansions = 16

/**
 * The indexed words starting with `prefix`, alphabetically, at most `most`. Each is found by reading the one entry
 * at the start of the rest of the prefix's range (a single-entry read), not by walking every entry of the words
 * before it: in Chromium a unique-key cursor still steps over every duplicate.
 */
async function expansionsOf(db: ParleyDatabase, prefix: string, most: number): Promise<string[]> {
  const found: string[] = []
  const end = `${prefix}\uffff`
  while (found.length < most) {
    const after = found.at(-1)
    const range = after === undefined ? db.searchEntries.where('words').between(prefix, end, true, true) : db.searchEntries.where('words').between(after, end, false, true)
    const [entry] = await range.limit(1).toArray()
    if (!entry) break
    // The entry's index key is its smallest word in the rest of the range.
    const next = entry.words.filter((word) => word.startsWith(prefix) && (after === undefined || word > after)).sort()[0]
    if (next === undefined) break
    found.push(next)
  }
  return found
}

/**
 * The index keys of a query word's hits, the newest `each` per indexed word (see `findCandidates`): a whole word's
 * own; a prefix's, word by word when it expands to fewer than `mostExpansions` words (a longer
 * prefix), else its range read whole when it has fewer than `cap` entries, else the newest of each of its
 * expansions among the scanned entries (`seen`) besides the range's first `cap`.
 */
async function keysOf(db: ParleyDatabase, word: QueryWord, each: number, want: number, seen: ReadonlySet<string>, cap: number): Promise<SearchEntryKey[]> {
  const index = db.searchEntries.where('words')
  if (word.kind === 'whole') return index.equals(word.text).reverse().limit(each).primaryKeys()
  const expansions = await expansionsOf(db, word.text, mostExpansions)
  if (expansions.length < mostExpansions) {
    const newest = await Promise.all(expansions.map((expansion) => index.equals(expansion).reverse().limit(each).primaryKeys()))
    return newest.flat()
  }
  const range = await index.between(word.text, `${word.text}\uffff`, true, true).limit(cap).primaryKeys()
  if (range.length < cap) return range
  const common = [...seen].filter((seenWord) => seenWord.startsWith(word.text))
  const newest = await Promise.all(common.map((expansion) => index.equals(expansion).reverse().limit(want).primaryKeys()))
  return [...range, ...newest.flat()]
}
