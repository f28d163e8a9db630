import { median, quantile, type EventBody, type Message, type ParleyEvent } from '../../../shared'
import { writeEvents } from '../db/row-writes'
import type { MessageRow, ParleyDatabase } from '../db/schema'
import { catchUpSearchIndex } from './search-index'
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

/**
 * Writes the chats and messages through the applier's own row writes, `batch` per transaction, then indexes them with
 * the idle pass the app runs after commits, `batch` rows per pass. Answers the seconds each took. Large transactions
 * (5,000) make seeding 100,000 messages fit the bench's budget; the app's commits and passes are smaller.
 */
export async function seedHistory(
  db: ParleyDatabase,
  messages: readonly Message[],
  batch = 5000,
  log: (line: string) => void = () => undefined
): Promise<{ writeSeconds: number; indexSeconds: number }> {
  const start = performance.now()
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
    if ((from / batch) % 4 === 3) log(`rows: ${from + events.length} in ${((performance.now() - start) / 1000).toFixed(1)} s`)
  }
  const written = performance.now()
  await catchUpSearchIndex(db, {
    chunk: batch,
    onProgress: ({ done }) => done % (4 * batch) === 0 && log(`index pass: ${done} in ${((performance.now() - written) / 1000).toFixed(1)} s`)
  })
  return { writeSeconds: (written - start) / 1000, indexSeconds: (performance.now() - written) / 1000 }
}

export interface SearchTiming {
  query: string
  /** What the query stands for: a common word, a rare prefix, two words… */
  kind: string
  medianMs: number
  /** By nearest rank: of 40 runs, the 38th fastest (the two slowest left out, as a p95 does). */
  p95Ms: number
  /** The slowest run. */
  slowestMs: number
  hits: number
  matched: number
}

/** The time to the first 50 results of `query` (median, p95 and slowest of `runs`, after one warm-up). */
export async function timeSearch(db: ParleyDatabase, query: string, kind = '', runs = 40): Promise<SearchTiming> {
  const warm = await searchMessages(db, query, { limit: 50 })
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    const start = performance.now()
    await searchMessages(db, query, { limit: 50 })
    times.push(performance.now() - start)
  }
  const hits = warm.chats.reduce((sum, chat) => sum + chat.hits.length, 0)
  return { query, kind, medianMs: median(times), p95Ms: quantile(times, 0.95), slowestMs: quantile(times, 1), hits, matched: warm.matched }
}

/** The queries the figures are measured with, over `fakeMessages`' vocabulary (seed 8: its default history's). */
export function benchQueries(): { kind: string; query: string }[] {
  const words = vocabulary(5000, 8)
  const at = (index: number): string => words[index] ?? ''
  return [
    { kind: 'common word (in most messages)', query: at(0) },
    { kind: '2-letter prefix', query: at(0).slice(0, 2) },
    { kind: 'mid-frequency word', query: at(40) },
    { kind: 'its 4-letter prefix', query: at(40).slice(0, 4) },
    { kind: 'rare word', query: at(4000) },
    { kind: 'rare prefix', query: at(4000).slice(0, 6) },
    { kind: 'two words, common and a prefix', query: `${at(3)} ${at(90).slice(0, 3)}` },
    { kind: 'two mid-frequency words', query: `${at(40)} ${at(60)}` },
    { kind: 'common word and rare word', query: `${at(0)} ${at(4000)}` },
    { kind: 'a word nobody wrote', query: 'xylophonequartz' }
  ]
}

export interface WriteTiming {
  messages: number
  perCommit: number
  /** Message rows alone, in commits of `perCommit`: what the applier's commits cost. */
  unindexedMs: number
  /** The idle pass that indexes those rows afterwards (chunks of 500 per transaction). */
  indexPassMs: number
  /** (rows + pass) / rows: the goal is at most 2. Each figure the slower of two runs. */
  ratio: number
}

/**
 * What indexing adds to writing finished messages: the rows written in commits of `perCommit` (rows only, as the
 * applier writes them), then the idle pass that indexes them, timed apart. Each run uses its own ids and seqs above
 * everything written before.
 */
export async function timeIndexedWrites(db: ParleyDatabase, messages: readonly Message[], perCommit: number): Promise<WriteTiming> {
  const write = async (tag: string): Promise<{ rowsMs: number; passMs: number }> => {
    const base = (await db.messages.orderBy('seq').last())?.seq ?? 0
    const rows: MessageRow[] = messages.map((message, i) => ({ ...message, id: `${tag}-${message.id}`, seq: base + i + 1, createdSeq: base + i + 1 }))
    const start = performance.now()
    for (let from = 0; from < rows.length; from += perCommit) {
      const commit = rows.slice(from, from + perCommit)
      await db.transaction('rw', [db.messages], () => db.messages.bulkPut(commit))
    }
    const written = performance.now()
    await catchUpSearchIndex(db)
    return { rowsMs: written - start, passMs: performance.now() - written }
  }
  const runs = [await write(`w${perCommit}a`), await write(`w${perCommit}b`)]
  const unindexedMs = Math.max(...runs.map((run) => run.rowsMs))
  const indexPassMs = Math.max(...runs.map((run) => run.passMs))
  return { messages: messages.length, perCommit, unindexedMs, indexPassMs, ratio: (unindexedMs + indexPassMs) / unindexedMs }
}
