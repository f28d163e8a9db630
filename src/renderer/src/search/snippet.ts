import { fold, hasUnspaced, wordMatches, type QueryWord } from './words'

/** A piece of a snippet: `marked` pieces are what the query matched, shown in `<mark>`. */
export interface SnippetPart {
  text: string
  marked: boolean
}

/** A word as written, marks included (text pasted in decomposed form keeps its accents inside the word). */
const writtenWord = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu

/** How much of a written word a folded prefix of `length` covers: `Éc` for the query `ec` in `École`. */
function writtenPrefix(word: string, length: number): number {
  let taken = ''
  for (const char of word) {
    taken += char
    if (fold(taken).length >= length) return taken.length
  }
  return word.length
}

/** Where the query's words match a written word (or the spaced part of one) at `at`: its marked range, or none. */
function wordRange(written: string, at: number, words: readonly QueryWord[], folded = fold(written)): [number, number] | undefined {
  let end = 0
  for (const wanted of words) {
    if (!wordMatches(folded, wanted)) continue
    end = Math.max(end, wanted.kind === 'whole' ? written.length : writtenPrefix(written, wanted.text.length))
  }
  return end > 0 ? [at, at + end] : undefined
}

/** A character as written (with the marks after it) and folded, at its place in the text. */
interface Letter {
  from: number
  to: number
  folded: string
  unspaced: boolean
}

/**
 * The ranges in a written word that has unspaced script (words.ts): its spaced parts matched as words, and in its
 * unspaced runs every place where a query word of that script occurs (a pair, or one character), character by
 * character, so folding (a kana's voicing mark, written apart) never shifts a mark.
 */
function unspacedRanges(written: string, at: number, words: readonly QueryWord[]): [number, number][] {
  const letters: Letter[] = Array.from(written.matchAll(/\P{M}\p{M}*/gu), (match) => {
    const folded = fold(match[0])
    return { from: at + match.index, to: at + match.index + match[0].length, folded, unspaced: hasUnspaced(folded) }
  })
  const wanted = words.filter((word) => hasUnspaced(word.text)).map((word) => Array.from(word.text))
  const ranges: [number, number][] = []
  for (let start = 0; start < letters.length; ) {
    const first = letters[start] as Letter
    let end = start + 1
    while (end < letters.length && (letters[end] as Letter).unspaced === first.unspaced) end++
    if (!first.unspaced) {
      const range = wordRange(written.slice(first.from - at, (letters[end - 1] as Letter).to - at), first.from, words)
      if (range) ranges.push(range)
    } else {
      for (let i = start; i < end; i++) {
        const longest = Math.max(0, ...wanted.filter((chars) => chars.every((char, k) => letters[i + k]?.folded === char && i + k < end)).map((chars) => chars.length))
        if (longest > 0) ranges.push([(letters[i] as Letter).from, (letters[i + longest - 1] as Letter).to])
      }
    }
    start = end
  }
  return ranges
}

/** Where the query's words occur in `text`, as [start, end) ranges in order (they may overlap). */
export function matchRanges(text: string, words: readonly QueryWord[]): [number, number][] {
  const ranges: [number, number][] = []
  for (const match of text.matchAll(writtenWord)) {
    const folded = fold(match[0])
    if (hasUnspaced(folded)) {
      ranges.push(...unspacedRanges(match[0], match.index, words))
      continue
    }
    const range = wordRange(match[0], match.index, words, folded)
    if (range) ranges.push(range)
  }
  return ranges
}

export interface SnippetOptions {
  /** About how many characters of text a snippet shows. */
  width?: number
  /** How much comes before the first match, when the text is cut there. */
  lead?: number
}

/**
 * A short piece of `text` around its first match, with every match in it marked. Cut at spaces where it can be, with
 * `…` where text was left out, and white space run together (the text is Markdown; this is one line of it).
 */
export function snippetOf(text: string, words: readonly QueryWord[], options: SnippetOptions = {}): SnippetPart[] {
  const width = options.width ?? 160
  const lead = options.lead ?? 40
  const ranges = matchRanges(text, words)
  const first = ranges[0]?.[0] ?? 0
  let start = Math.max(0, first - lead)
  if (start > 0) {
    const space = text.lastIndexOf(' ', start)
    start = space >= 0 && first - space <= lead * 2 ? space + 1 : start
  }
  let end = Math.min(text.length, start + width)
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end)
    if (space > first) end = space
  }
  const parts: SnippetPart[] = []
  const push = (piece: string, marked: boolean): void => {
    const text = piece.replace(/\s+/g, ' ')
    if (text === '') return
    const last = parts.at(-1)
    if (last && last.marked === marked) last.text += text
    else parts.push({ text, marked })
  }
  if (start > 0) push('…', false)
  let at = start
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue
    push(text.slice(at, Math.max(at, from)), false)
    push(text.slice(Math.max(at, from), Math.min(to, end)), true)
    at = Math.min(to, end)
  }
  push(text.slice(at, end), false)
  if (end < text.length) push('…', false)
  return parts
}
