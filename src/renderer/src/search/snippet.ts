import { fold, wordMatches, type QueryWord } from './words'

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

/** Where the query's words occur in `text`, as [start, end) ranges in order. */
export function matchRanges(text: string, words: readonly QueryWord[]): [number, number][] {
  const ranges: [number, number][] = []
  for (const match of text.matchAll(writtenWord)) {
    const folded = fold(match[0])
    let end = 0
    for (const wanted of words) {
      if (!wordMatches(folded, wanted)) continue
      end = Math.max(end, wanted.kind === 'whole' ? match[0].length : writtenPrefix(match[0], wanted.text.length))
    }
    if (end > 0) ranges.push([match.index, match.index + end])
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
