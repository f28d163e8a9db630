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

/** The distinct folded words of a text, in order of first appearance. */
export function wordsOf(text: string): string[] {
  const words = new Set<string>()
  for (const [word] of fold(text).matchAll(wordPattern)) {
    words.add(word.slice(0, longestWord))
    if (words.size >= mostWordsPerMessage) break
  }
  return [...words]
}

/**
 * English function words: about a third of the distinct words of a message, in nearly every message, so they find
 * nothing a person would look for, while each costs an index entry per message written. Not indexed, and left out of
 * a query that has other words.
 */
export const stopWords: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this to was we were what when ' +
    'which who will with would you your'
  ).split(' ')
)

/** The words the index keeps for a text: its distinct words but the stop words. */
export function indexedWordsOf(text: string): string[] {
  return wordsOf(text).filter((word) => !stopWords.has(word))
}

/** A query word: a prefix to look up, or (when very short) a whole word. */
export type QueryWord = { kind: 'prefix'; text: string } | { kind: 'whole'; text: string }

/** The words of a query, distinct, each matched as a prefix unless it is too short to narrow anything. */
export function queryWords(query: string): QueryWord[] {
  const words = wordsOf(query)
  // The last word may be still being typed ("th" on the way to "thermal"): only a finished stop word is left out.
  const last = words.length - 1
  const kept = words.filter((word, at) => !stopWords.has(word) || (at === last && !query.match(/[^\p{L}\p{N}\p{M}]$/u)))
  return kept.map((text) => (text.length < shortestPrefix ? { kind: 'whole', text } : { kind: 'prefix', text }))
}

/** Whether an indexed word answers a query word. */
export function wordMatches(word: string, wanted: QueryWord): boolean {
  return wanted.kind === 'whole' ? word === wanted.text : word.startsWith(wanted.text)
}
