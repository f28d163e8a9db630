import type { SessionRow } from '../db/schema'
import { fold } from '../search/words'
import { untitled } from './session-title'

/**
 * What the filter box holds, as the terms a title must contain: split on spaces, with case and diacritics folded as
 * search folds them (`cafe` finds `Café`, as Ctrl+K does).
 */
export function filterTerms(query: string): string[] {
  return fold(query).split(/\s+/).filter((term) => term.length > 0)
}

const lowered = new WeakMap<SessionRow, string>()

/** The title as shown, folded; kept per row (rows keep their identity until they change). */
function lowerTitle(row: SessionRow): string {
  let title = lowered.get(row)
  if (title === undefined) {
    title = fold(row.title ?? untitled)
    lowered.set(row, title)
  }
  return title
}

/** Whether a chat's title (as shown: "New chat" when it has none) contains every term, case and accents aside. */
export function titleMatches(row: SessionRow, terms: readonly string[]): boolean {
  const title = lowerTitle(row)
  return terms.every((term) => title.includes(term))
}

/** The chats whose titles match, in the same order; all of them (the same array) when there are no terms. */
export function filterByTitle(rows: readonly SessionRow[], query: string): readonly SessionRow[] {
  const terms = filterTerms(query)
  return terms.length === 0 ? rows : rows.filter((row) => titleMatches(row, terms))
}
