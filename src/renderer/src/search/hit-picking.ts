import { textsOf } from '../../../shared'
import type { MessageRow } from '../db/schema'
import { groupByChat } from './ranking'
import type { ChunkHit } from './search-chunks'
import type { SearchHit, SearchResults } from './search-messages'
import { snippetOf } from './snippet'
import { wordMatches, wordsOf, type QueryWord } from './words'

/** The most message rows one search reads to check candidates. */
export const mostRowsRead = 400

/**
 * Which of a search's candidates are shown: their rows are read in rank order (most words, then newest), a batch at a
 * time, until `limit` hold every word, or no candidate left could and enough hold some. Each row is checked against
 * its current text. The reading is the caller's (IndexedDB, or rows read ahead), so both ways pick by this one rule.
 */
export class HitPicking {
  private readonly ranked: ChunkHit[]
  private at = 0
  private read = 0
  private readonly full: SearchHit[] = []
  private readonly some: SearchHit[] = []

  constructor(
    candidates: Iterable<ChunkHit>,
    private readonly words: readonly QueryWord[],
    private readonly limit: number,
    /** Chats and messages left out (deleted, waiting out their Undo). */
    private readonly hidden: ReadonlySet<string>
  ) {
    this.ranked = [...candidates].sort((a, b) => b.matched - a.matched || b.order - a.order)
  }

  /** The ids of the rows to read next, or none: the hits are picked. */
  next(): string[] | undefined {
    const next = this.ranked[this.at]
    if (!next || this.read >= mostRowsRead) return undefined
    const found = this.full.length + this.some.length
    if (this.full.length >= this.limit || (next.matched < this.words.length && found >= this.limit)) return undefined
    const batch = this.ranked.slice(this.at, this.at + Math.max(8, this.limit - this.full.length))
    this.at += batch.length
    this.read += batch.length
    return batch.map((candidate) => candidate.messageId)
  }

  /** The rows `next` asked for (none where a row is gone), with the titles of their chats (a chat not in it is gone). */
  take(messages: readonly (MessageRow | undefined)[], titles: ReadonlyMap<string, string | null>): void {
    for (const message of messages) {
      if (!message || this.hidden.has(message.id) || this.hidden.has(message.sessionId) || !titles.has(message.sessionId)) continue
      const hit = hitOf(message, this.words)
      if (hit) (hit.allWords ? this.full : this.some).push(hit)
    }
  }

  /** The hits picked, those with every word first, each kind newest first, grouped by chat under its title. */
  results(titles: ReadonlyMap<string, string | null>, matched: number): SearchResults {
    const newestFirst = (a: SearchHit, b: SearchHit): number => b.createdAt - a.createdAt
    const hits = [...this.full.sort(newestFirst), ...this.some.sort(newestFirst)].slice(0, this.limit)
    const chats = groupByChat(hits).map(({ sessionId, hits }) => ({ sessionId, title: titles.get(sessionId) ?? null, hits }))
    return { chats, matched }
  }
}

/** A message as its current row has it, or nothing when it streams or no longer holds any of the words. */
function hitOf(message: MessageRow, words: readonly QueryWord[]): SearchHit | undefined {
  if (message.status === 'streaming') return undefined
  const text = textsOf(message).text
  const snippet = snippetOf(text, words)
  if (!snippet.some((part) => part.marked)) return undefined
  const has = wordsOf(text)
  const allWords = words.every((wanted) => has.some((word) => wordMatches(word, wanted)))
  return { sessionId: message.sessionId, messageId: message.id, role: message.role, createdAt: message.createdAt, allWords, snippet }
}
