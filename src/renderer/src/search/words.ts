/**
 * The words search knows a text by: lowercased, with diacritics folded (`Café` is `cafe`), split on anything that is
 * not a letter or a digit. The index keeps each message's distinct words; a query's words match them as prefixes.
 */

/** Longer runs (a hash, a base64 blob) are cut to this: nobody types more of a word than this to find it. */
export const longestWord = 40
/** A message's distinct words beyond this are not indexed (a pasted log must not make its write cost unbounded). */
export const mostWordsPerMessage = 2000
/** A query word shorter than this matches whole words only: a one-letter prefix would match most of the index. */
export const shortestPrefix = 2

const wordPattern = /[\p{L}\p{N}]+/gu
const marks = /\p{M}+/gu

/** `Ünïcödé` → `unicode`: what both the index and a query are compared in. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(marks, '').toLowerCase()
}

/** The distinct folded words of a text, in order of first appearance, for the index. */
export function wordsOf(text: string): string[] {
  const words = new Set<string>()
  for (const [word] of fold(text).matchAll(wordPattern)) {
    words.add(word.slice(0, longestWord))
    if (words.size >= mostWordsPerMessage) break
  }
  return [...words]
}

/** A query word: a prefix to look up, or (when very short) a whole word. */
export type QueryWord = { kind: 'prefix'; text: string } | { kind: 'whole'; text: string }

/** The words of a query, distinct, each matched as a prefix unless it is too short to narrow anything. */
export function queryWords(query: string): QueryWord[] {
  return wordsOf(query).map((text) => (text.length < shortestPrefix ? { kind: 'whole', text } : { kind: 'prefix', text }))
}

/** Whether an indexed word answers a query word. */
export function wordMatches(word: string, wanted: QueryWord): boolean {
  return wanted.kind === 'whole' ? word === wanted.text : word.startsWith(wanted.text)
}
