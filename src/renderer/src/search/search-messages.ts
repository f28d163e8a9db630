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
  /** How many messages matched at least one word, shown or not. */
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
    const keysPerWord = await Promise.all(words.map((word) => keysOf(db, word)))
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

async function keysOf(db: ParleyDatabase, word: QueryWord): Promise<SearchEntryKey[]> {
  const index = db.searchEntries.where('words')
  return (word.kind === 'whole' ? index.equals(word.text) : index.startsWith(word.text)).primaryKeys()
}
