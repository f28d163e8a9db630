import type { SearchChunkRow } from '../db/schema'
import { wordMatches, type QueryWord } from './words'

/**
 * The search index's chunks (schema version 5): one row per `chunkSize` messages, in the order the idle pass indexed
 * them, with each distinct word's postings (which of the chunk's messages hold it); and, per indexing pass, one row
 * of terms (word, order, message) in a multi-entry index. A search reads the newest chunks whole (a common word or a
 * short prefix is answered there) and a rarer word's terms across every chunk as one index range. Postings are never removed: every
 * hit is checked against its message's current row (a deleted or edited one is found no more by its old words).
 */

/** Messages per chunk: the open (last) chunk takes messages until it has this many. */
export const chunkSize = 500
/** A word in more of one pass's messages in a chunk than this is `dense` there: its terms don't list them. */
export const denseFrom = 4

/** A chunk being filled, decoded: what the idle pass appends to. */
export interface OpenChunk {
  id: number
  messageIds: string[]
  postings: Map<string, number[]>
}

/** A message as the index keeps it: its id and its indexed words (distinct). */
export interface ChunkMessage {
  messageId: string
  words: readonly string[]
}

/**
 * A message the index found for a query: how many of the query's words it holds (at most, when not every word's
 * postings were read), and its place in the order of indexing (higher is newer).
 */
export interface ChunkHit {
  messageId: string
  order: number
  matched: number
}

/** A message's place in the order of indexing: its chunk, then its place in the chunk. */
export function orderOf(chunk: number, at: number): number {
  return chunk * 65_536 + at
}

export function emptyChunk(id: number): OpenChunk {
  return { id, messageIds: [], postings: new Map() }
}

export function isFull(chunk: OpenChunk): boolean {
  return chunk.messageIds.length >= chunkSize
}

/** A chunk row as a search reads it: where each word and its postings start, counted from the row. */
export interface ChunkView {
  row: SearchChunkRow
  /** Where word i starts in the dictionary; one more entry, the dictionary's length + 1. */
  wordAt: Uint32Array
  /** Where word i's postings start; one more entry, their total. */
  postingAt: Uint32Array
}

export function viewOf(row: SearchChunkRow): ChunkView {
  const words = row.counts.length
  const wordAt = new Uint32Array(words + 1)
  const postingAt = new Uint32Array(words + 1)
  let at = 0
  for (let word = 0; word < words; word++) {
    wordAt[word] = at
    postingAt[word + 1] = (postingAt[word] ?? 0) + (row.counts[word] ?? 0)
    const end = row.dictionary.indexOf('\n', at)
    at = end < 0 ? row.dictionary.length + 1 : end + 1
  }
  wordAt[words] = row.dictionary.length + 1
  return { row, wordAt, postingAt }
}

/** Word `at` of a chunk's dictionary. */
export function wordOf(view: ChunkView, at: number): string {
  return view.row.dictionary.slice(view.wordAt[at], (view.wordAt[at + 1] ?? 0) - 1)
}

/** The words of a stored chunk, for appending to it. */
export function decodeChunk(row: SearchChunkRow): OpenChunk {
  const view = viewOf(row)
  const postings = new Map<string, number[]>()
  for (let at = 0; at < row.counts.length; at++) {
    postings.set(wordOf(view, at), Array.from(row.postings.subarray(view.postingAt[at], view.postingAt[at + 1])))
  }
  return { id: row.id, messageIds: [...row.messageIds], postings }
}

/** Adds a message. */
export function addMessage(chunk: OpenChunk, message: ChunkMessage): void {
  const ordinal = chunk.messageIds.length
  chunk.messageIds.push(message.messageId)
  for (const word of message.words) {
    const list = chunk.postings.get(word)
    if (list) list.push(ordinal)
    else chunk.postings.set(word, [ordinal])
  }
}

/** The chunk's row. */
export function encodeChunk(chunk: OpenChunk): SearchChunkRow {
  const words = [...chunk.postings.keys()].sort()
  const lists = words.map((word) => chunk.postings.get(word) ?? [])
  const counts = Uint16Array.from(lists, (list) => list.length)
  const postings = new Uint16Array(lists.reduce((sum, list) => sum + list.length, 0))
  let at = 0
  for (const list of lists) {
    postings.set(list, at)
    at += list.length
  }
  return { id: chunk.id, dictionary: words.join('\n'), counts, postings, messageIds: [...chunk.messageIds] }
}

/** Separates a term's parts: word, then order and message (a listed term), or chunk (a dense one). */
export const listedMark = '\u0001'
export const denseMark = '\u0002'
/** Base-36 width of an order in a term: sorts as a number. */
const orderWidth = 10

/** A term of the `terms` index, parsed. */
export type Term = { kind: 'listed'; word: string; order: number; messageId: string } | { kind: 'dense'; word: string; chunk: number }

/**
 * The terms of the messages a pass added to a chunk, from ordinal `from` on: each word's messages, or only a dense
 * mark for a word in more than `denseFrom` of them.
 */
export function termsOf(chunk: OpenChunk, from: number): string[] {
  const terms: string[] = []
  for (const [word, ordinals] of chunk.postings) {
    const added = ordinals.filter((ordinal) => ordinal >= from)
    if (added.length > denseFrom) terms.push(`${word}${denseMark}${chunk.id.toString(36)}`)
    else for (const ordinal of added) terms.push(`${word}${listedMark}${orderOf(chunk.id, ordinal).toString(36).padStart(orderWidth, '0')}${listedMark}${chunk.messageIds[ordinal] ?? ''}`)
  }
  return terms
}

export function parseTerm(term: string): Term | undefined {
  const listed = term.indexOf(listedMark)
  if (listed >= 0) {
    const end = term.indexOf(listedMark, listed + 1)
    if (end < 0) return undefined
    return { kind: 'listed', word: term.slice(0, listed), order: parseInt(term.slice(listed + 1, end), 36), messageId: term.slice(end + 1) }
  }
  const dense = term.indexOf(denseMark)
  if (dense < 0) return undefined
  return { kind: 'dense', word: term.slice(0, dense), chunk: parseInt(term.slice(dense + 1), 36) }
}

/** The first word at or after `text` in the sorted dictionary (binary search). */
function lowerBound(view: ChunkView, text: string): number {
  let low = 0
  let high = view.row.counts.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (wordOf(view, middle) < text) low = middle + 1
    else high = middle
  }
  return low
}

/** The dictionary positions of the words that answer `wanted`: one for a whole word, a run for a prefix. */
function matchingWords(view: ChunkView, wanted: QueryWord): number[] {
  const words = view.row.counts.length
  const found: number[] = []
  for (let at = lowerBound(view, wanted.text); at < words; at++) {
    const word = wordOf(view, at)
    if (!word.startsWith(wanted.text)) break
    if (wordMatches(word, wanted)) found.push(at)
    if (wanted.kind === 'whole') break
  }
  return found
}

/**
 * The chunk's messages that hold at least one of the query's words, each with how many of them it holds, and per
 * query word how many messages hold it (how common it is).
 */
export function matchChunk(row: SearchChunkRow, query: readonly QueryWord[]): { hits: ChunkHit[]; perWord: number[] } {
  const view = viewOf(row)
  const messages = row.messageIds.length
  const matched = new Uint8Array(messages)
  // Which query word last counted a message: a message with `lisbon` and `list` counts once for `lis`.
  const countedFor = new Int16Array(messages).fill(-1)
  const perWord = query.map((wanted, index) => {
    let holding = 0
    for (const at of matchingWords(view, wanted)) {
      const end = view.postingAt[at + 1] ?? 0
      for (let p = view.postingAt[at] ?? 0; p < end; p++) {
        const ordinal = row.postings[p] ?? 0
        if (countedFor[ordinal] === index) continue
        countedFor[ordinal] = index
        matched[ordinal] = (matched[ordinal] ?? 0) + 1
        holding += 1
      }
    }
    return holding
  })
  const hits: ChunkHit[] = []
  for (let ordinal = 0; ordinal < messages; ordinal++) {
    const count = matched[ordinal] ?? 0
    if (count > 0) hits.push({ messageId: row.messageIds[ordinal] ?? '', order: orderOf(row.id, ordinal), matched: count })
  }
  return { hits, perWord }
}
