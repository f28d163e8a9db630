import { textsOf, type Message } from '../../../shared'
import type { ParleyDatabase, SearchEntryKey } from '../db/schema'
import { candidatesOf, groupByChat, topCandidates } from './ranking'
import { snippetOf, type SnippetPart } from './snippet'
import { queryWords, type QueryWord } from './words'

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
  /** How many messages the search read that match at least one word (at most the newest few per indexed word). */
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
 * come grouped by chat with a marked snippet each. The ranking reads only the index's keys; rows are read for the
 * `limit` hits shown. This is also the bench's "first 50 results" figure.
 */
export async function searchMessages(db: ParleyDatabase, query: string, options: SearchOptions = {}): Promise<SearchResults> {
  const words = queryWords(query)
  if (words.length === 0) return noResults
  const limit = options.limit ?? 50
  const hidden = options.hidden ?? new Set<string>()
  return db.transaction('r', [db.searchEntries, db.messages, db.sessions], async () => {
    // Hidden hits are left out after reading, so read enough that `limit` remain after the Undo-able deletions.
    const perWord = (words.length > 1 ? 4 : 1) * limit + hidden.size
    const keysPerWord = await Promise.all(words.map((word) => keysOf(db, word, perWord)))
    const candidates = candidatesOf(keysPerWord).filter((c) => !hidden.has(c.sessionId) && !hidden.has(c.messageId))
    const top = topCandidates(candidates, limit)
    const sessionIds = [...new Set(top.map((candidate) => candidate.sessionId))]
    const [messages, sessions] = await Promise.all([
      db.messages.bulkGet(top.map((candidate) => candidate.messageId)),
      db.sessions.bulkGet(sessionIds)
    ])
    const titles = new Map(sessions.flatMap((session) => (session ? [[session.id, session.title] as const] : [])))
    const hits = top.flatMap((candidate, at): SearchHit[] => {
      const message = messages[at]
      if (!message || !titles.has(candidate.sessionId)) return []
      const { sessionId, messageId, createdAt, matched } = candidate
      const snippet = snippetOf(textsOf(message).text, words)
      return [{ sessionId, messageId, role: message.role, createdAt, allWords: matched === words.length, snippet }]
    })
    const chats = groupByChat(hits).map(({ sessionId, hits }) => ({ sessionId, title: titles.get(sessionId) ?? null, hits }))
    return { chats, matched: candidates.length }
  })
}

/** A prefix that expands to more indexed words than this searches the first this many of them, alphabetically. */
export const mostExpansions = 100

/**
 * The indexed words starting with `prefix`, alphabetically, at most `mostExpansions`. Each is found by reading the
 * one entry at the start of the rest of the prefix's range (a single-entry `getAll`), not by walking every entry of
 * the words before it: in Chromium a unique-key cursor still steps over every duplicate.
 */
async function expansionsOf(db: ParleyDatabase, prefix: string): Promise<string[]> {
  const found: string[] = []
  const end = `${prefix}\uffff`
  while (found.length < mostExpansions) {
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
 * The index keys of a query word's newest hits: for each indexed word it is a prefix of (a one-letter word: only
 * itself), the `perWord` newest entries. Chromium reads an index entry at the cost of a lookup of its row (to skip
 * stale entries), so reading every entry of a common word costs time in proportion to how often it was written;
 * reading the newest few of each word it expands to does not grow with the history. For one query word this is
 * exact (the newest `limit` hits are among them); with several, a message holding every word but older than each
 * word's newest `perWord` is not found.
 */
async function keysOf(db: ParleyDatabase, word: QueryWord, perWord: number): Promise<SearchEntryKey[]> {
  const expansions = word.kind === 'whole' ? [word.text] : await expansionsOf(db, word.text)
  const newest = await Promise.all(
    expansions.map((expansion) => db.searchEntries.where('words').equals(expansion).reverse().limit(perWord).primaryKeys())
  )
  return newest.flat()
}
