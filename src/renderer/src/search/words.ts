/**
 * The words search knows a text by: lowercased, with diacritics folded (`Café` is `cafe`), split on anything that is
 * not a letter or a digit. The index keeps each message's distinct words; a query's words match them as prefixes.
 *
 * Chinese, Japanese, Thai and the other scripts written without spaces have no words to split on: a sentence would be
 * one "word", and searching for a word inside it found nothing. Their runs are known by overlapping pairs of
 * characters, and a run's last character alone (`本地模型` is `本地`, `地模`, `模型`, `型`), as CJK search engines
 * do: any two characters typed are found wherever they occur, a query's pairs all held rank the message first, and a
 * single character typed is a prefix of the pairs it starts (or is the last character of a run).
 */

/** Longer runs (a hash, a base64 blob) are cut to this: nobody types more of a word than this to find it. */
export const longestWord = 40
/** A message's distinct words beyond this are not indexed (a pasted log must not make its write cost unbounded). */
export const mostWordsPerMessage = 2000
/** A query word shorter than this matches whole words only: a one-letter prefix would match most of the index. */
export const shortestPrefix = 2

const wordPattern = /[\p{L}\p{N}]+/gu
const marks = /\p{M}+/gu
/** Characters of scripts written without spaces between words (Script_Extensions, so the kana length mark counts). */
const unspacedClass = '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Thai}\\p{scx=Lao}\\p{scx=Khmer}\\p{scx=Myanmar}'
const unspacedRun = new RegExp(`[${unspacedClass}]+`, 'gu')
const unspacedChar = new RegExp(`[${unspacedClass}]`, 'u')

/** Whether a (folded) text has any character of a script written without spaces. */
export function hasUnspaced(text: string): boolean {
  return unspacedChar.test(text)
}

/**
 * The pieces search knows a folded run of letters and digits by: itself, or around unspaced runs their pairs and
 * last character. A query's run of two or more characters is its pairs alone: its last character, sought alone,
 * would match that character anywhere (`ル` of `モデル` in `ローカル`).
 */
function piecesOf(word: string, unspaced: boolean, query: boolean): string[] {
  if (!unspaced || !hasUnspaced(word)) return [word.slice(0, longestWord)]
  const pieces: string[] = []
  let from = 0
  for (const run of word.matchAll(unspacedRun)) {
    if (run.index > from) pieces.push(word.slice(from, run.index).slice(0, longestWord))
    const chars = Array.from(run[0])
    for (let at = 0; at + 1 < chars.length; at++) pieces.push(`${chars[at]}${chars[at + 1]}`)
    if (!query || chars.length === 1) pieces.push(chars.at(-1) ?? '')
    from = run.index + run[0].length
  }
  if (from < word.length) pieces.push(word.slice(from).slice(0, longestWord))
  return pieces
}

/** `Ünïcödé` → `unicode`: what both the index and a query are compared in. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(marks, '').toLowerCase()
}

/** The distinct folded words of a text, in order of first appearance (of a query's text, with `query`). */
export function wordsOf(text: string, query = false): string[] {
  const words = new Set<string>()
  const folded = fold(text)
  // Looked for once: most texts have no unspaced script, and their words are taken as they are.
  const unspaced = hasUnspaced(folded)
  for (const [word] of folded.matchAll(wordPattern)) {
    for (const piece of piecesOf(word, unspaced, query)) {
      words.add(piece)
      if (words.size >= mostWordsPerMessage) return [...words]
    }
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
  const words = wordsOf(query, true)
  // The last word may be still being typed ("th" on the way to "thermal"): only a finished stop word is left out.
  const last = words.length - 1
  const kept = words.filter((word, at) => !stopWords.has(word) || (at === last && !query.match(/[^\p{L}\p{N}\p{M}]$/u)))
  // One character of an unspaced script is a prefix: of the pairs it starts, and the run's last character.
  return kept.map((text) => (text.length < shortestPrefix && !hasUnspaced(text) ? { kind: 'whole', text } : { kind: 'prefix', text }))
}

/** Whether an indexed word answers a query word. */
export function wordMatches(word: string, wanted: QueryWord): boolean {
  return wanted.kind === 'whole' ? word === wanted.text : word.startsWith(wanted.text)
}
