import type { EventBody, Message, ParleyEvent } from '../../../shared'
import { writeEvents } from '../db/row-writes'
import type { MessageRow, ParleyDatabase } from '../db/schema'
import { indexMessages } from './search-index'
import { searchMessages } from './search-messages'

/**
 * The search figures of issue 11 ("first 50 results over 100,000 messages in at most 30 ms"; "indexing adds at most
 * 1x to an unindexed write"), for `npm run bench` and for search-bench-node.ts. Works on any ParleyDatabase: Chromium's
 * IndexedDB in the bench, fake-indexeddb in Node.
 */

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed
  return () => (state = (state * 48271) % 2147483647) / 2147483647
}

const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'pe', 'da', 'gu', 'ri', 'bo', 'fe', 'zan', 'tor', 'lis', 'mar', 'quel', 'ström']

/** A vocabulary of made-up words; `words[0]` is the commonest. */
export function vocabulary(size: number, seed = 1): string[] {
  const next = random(seed)
  const words = new Set<string>()
  while (words.size < size) {
    const length = 2 + Math.floor(next() * 3)
    words.add(Array.from({ length }, () => syllables[Math.floor(next() * syllables.length)]).join(''))
  }
  return [...words]
}

export interface HistoryShape {
  chats: number
  messages: number
  /** Words per message, on average (between half and one and a half times this). */
  wordsPerMessage?: number
  vocabularySize?: number
  seed?: number
}

/** Messages of made-up prose: word frequencies fall off steeply, as in real text. Newest last. */
export function fakeMessages(shape: HistoryShape): Message[] {
  const next = random(shape.seed ?? 7)
  const words = vocabulary(shape.vocabularySize ?? 5000, (shape.seed ?? 7) + 1)
  const perMessage = shape.wordsPerMessage ?? 30
  return Array.from({ length: shape.messages }, (_, i): Message => {
    const length = Math.max(1, Math.round(perMessage * (0.5 + next())))
    const text = Array.from({ length }, () => words[Math.floor(words.length * next() ** 3)]).join(' ')
    const sessionId = `chat-${i % shape.chats}`
    return { id: `m-${i}`, sessionId, runId: `r-${i}`, role: i % 2 ? 'assistant' : 'user', parts: [{ type: 'text', text }], status: 'finished', createdAt: 1_000 + i }
  })
}

/** Writes the chats and messages through the applier's own row writes (and so its indexing), `batch` per commit. */
export async function seedHistory(db: ParleyDatabase, messages: readonly Message[], batch = 500): Promise<void> {
  let seq = 0
  const chats = [...new Set(messages.map((message) => message.sessionId))]
  const stamp = (body: EventBody, at: number): ParleyEvent => ({ ...body, seq: ++seq, at }) as ParleyEvent
  await writeEvents(
    db,
    chats.map((id) => stamp({ type: 'session.created', session: { id, title: `Chat ${id}`, createdAt: 1, updatedAt: 1 } }, 1))
  )
  for (let from = 0; from < messages.length; from += batch) {
    const events = messages.slice(from, from + batch).map((message) => stamp({ type: 'message.created', message }, message.createdAt))
    await writeEvents(db, events)
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

export interface SearchTiming {
  query: string
  medianMs: number
  hits: number
  matched: number
}

/** The time to the first 50 results of `query` (median of `runs`, after one warm-up). */
export async function timeSearch(db: ParleyDatabase, query: string, runs = 5): Promise<SearchTiming> {
  const warm = await searchMessages(db, query, { limit: 50 })
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    const start = performance.now()
    await searchMessages(db, query, { limit: 50 })
    times.push(performance.now() - start)
  }
  return { query, medianMs: median(times), hits: warm.chats.reduce((sum, chat) => sum + chat.hits.length, 0), matched: warm.matched }
}

export interface WriteTiming {
  messages: number
  perCommit: number
  /** Message rows alone, as before search existed. */
  unindexedMs: number
  /** The same rows with their index entries, in the same transactions. Each the slower of two runs. */
  indexedMs: number
}

/**
 * What indexing adds to writing finished messages: the same rows written in commits of `perCommit`, once without and
 * once with their index entries (into two fresh tables' worth of keys: each run uses its own ids).
 */
export async function timeIndexedWrites(db: ParleyDatabase, messages: readonly Message[], perCommit: number): Promise<WriteTiming> {
  const rows = (tag: string): MessageRow[] => messages.map((message, i) => ({ ...message, id: `${tag}-${message.id}`, seq: i + 1, createdSeq: i + 1 }))
  const write = async (batchRows: MessageRow[], indexed: boolean): Promise<number> => {
    const start = performance.now()
    for (let from = 0; from < batchRows.length; from += perCommit) {
      const commit = batchRows.slice(from, from + perCommit)
      await db.transaction('rw', [db.messages, db.searchEntries], () =>
        Promise.all([db.messages.bulkPut(commit), indexed ? indexMessages(db, commit) : undefined])
      )
    }
    return performance.now() - start
  }
  // Alternate, twice each, so neither side always runs on a warmer or a fuller database.
  const unindexed: number[] = []
  const indexed: number[] = []
  for (const round of [1, 2]) {
    unindexed.push(await write(rows(`plain${round}`), false))
    indexed.push(await write(rows(`indexed${round}`), true))
  }
  return { messages: messages.length, perCommit, unindexedMs: Math.max(...unindexed), indexedMs: Math.max(...indexed) }
}
