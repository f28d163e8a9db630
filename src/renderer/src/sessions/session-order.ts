import type { SessionRow } from '../db/schema'

/** Where a chat sorts in the sidebar: last activity, then id (the order of Dexie's `updatedAt` index read backwards). */
export interface SessionKey {
  updatedAt: number
  id: string
}

/** Negative when `a` is listed above `b`: newer activity first, and among equals the larger id first. */
export function compareSessions(a: SessionKey, b: SessionKey): number {
  if (a.updatedAt !== b.updatedAt) return b.updatedAt - a.updatedAt
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1
}

/** The first place in `rows` (sorted) where `row` can go without breaking the order. */
function placeOf(rows: readonly SessionKey[], row: SessionKey): number {
  let low = 0
  let high = rows.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compareSessions(rows[middle] as SessionKey, row) < 0) low = middle + 1
    else high = middle
  }
  return low
}

/** How far the sidebar's list has read: to a last key, or to the end of the table. */
export type LoadedUpTo = { kind: 'key'; key: SessionKey } | { kind: 'end' }

/**
 * The list after some rows changed: each changed id leaves its old place, and comes back (if it still exists) at the
 * place its key gives, as long as that place is within what has been read so far (a row that sorts past `upTo` is the
 * loader's to read). Rows that did not change keep their identity, so memoised rows don't redraw.
 */
export function patchRows(
  rows: readonly SessionRow[],
  changes: ReadonlyMap<string, SessionRow | undefined>,
  upTo: LoadedUpTo
): SessionRow[] {
  const next = rows.filter((row) => !changes.has(row.id))
  for (const row of changes.values()) {
    if (row === undefined) continue
    if (!withinLoaded(row, upTo)) continue
    next.splice(placeOf(next, row), 0, row)
  }
  return next
}

/** Whether `row` sorts within what has been read (`upTo`). */
export function withinLoaded(row: SessionKey, upTo: LoadedUpTo): boolean {
  return upTo.kind === 'end' || compareSessions(row, upTo.key) <= 0
}
