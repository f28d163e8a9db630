import Dexie from 'dexie'
import { inConversationOrder } from './history'
import type { MessageRow, ParleyDatabase } from './schema'

/**
 * Keyset pages of one chat on the `[sessionId+createdAt]` index. A window is a range of createdAt, both ends
 * inclusive, so messages made in the same millisecond are never split between pages (their order comes from
 * `createdSeq`, history.ts). Every read here is bounded by a page or by the window's cap: none grows with the
 * distance from the end of the chat.
 */

/**
 * The window's newer edge. `leaf`: through the session's leaf (H3), moving with it, so new messages and streamed
 * answers keep appending. `at`: a fixed createdAt above which the window has dropped pages (or has not read yet);
 * the branch shown in it is drawn up from `anchorId`, exactly (a branch message seen before the pages were dropped)
 * or through its newest descendant in the window (after opening at a message, before the leaf is in reach).
 */
export type WindowEnd =
  | { kind: 'leaf' }
  | { kind: 'at'; createdAt: number; anchorId: string; anchor: 'exact' | 'newest-descendant' }

export interface MessageWindow {
  /** The oldest createdAt shown (inclusive), or -Infinity from the chat's first message. */
  start: number
  end: WindowEnd
}

export interface WindowPage {
  /** Oldest first, every branch's within the window (the view keeps one branch: `chat/branch.ts`). */
  messages: MessageRow[]
  /** Where the rows start: the window's start, or later if the window was over its cap, or earlier to reach the leaf. */
  start: number
  /** The newest createdAt the rows may have (the window's end, or the leaf's createdAt). */
  endAt: number
  hasOlder: boolean
  /** Whether the branch goes on below the window (its end is `at`, short of the leaf). */
  hasNewer: boolean
  /** Where the branch shown ends in these rows: the session's leaf, or the window's anchor resolved. */
  branchLeafId: string | undefined
  /** The session's leaf, and whether the window reaches it (then the view can follow it live). */
  sessionLeafId: string | undefined
  reachesLeaf: boolean
  /** The seq of the event that set that leaf, as read (0 when none did): a message created after it is not in `messages`. */
  leafSeq: number
}

const lowest = (n: number): number | typeof Dexie.minKey => (n === Number.NEGATIVE_INFINITY ? Dexie.minKey : n)
const highest = (n: number): number | typeof Dexie.maxKey => (n === Number.POSITIVE_INFINITY ? Dexie.maxKey : n)

function range(db: ParleyDatabase, sessionId: string, lower: number, upper: number, lowerOpen = false, upperOpen = false) {
  return db.messages
    .where('[sessionId+createdAt]')
    .between([sessionId, lowest(lower)], [sessionId, highest(upper)], !lowerOpen || lower === Number.NEGATIVE_INFINITY, !upperOpen || upper === Number.POSITIVE_INFINITY)
}

/**
 * Where a page of `size` messages at or before `through` (before it, when `open`) starts: the createdAt of its
 * oldest message, or -Infinity when fewer are left. Reads at most `size` rows.
 */
export async function startOfPageBelow(db: ParleyDatabase, sessionId: string, through: number, size: number, open: boolean): Promise<number> {
  const rows = await range(db, sessionId, Number.NEGATIVE_INFINITY, through, false, open).reverse().limit(size).toArray()
  const oldest = rows.at(-1)
  return rows.length === size && oldest ? oldest.createdAt : Number.NEGATIVE_INFINITY
}

/**
 * Where a page of `size` messages after `after` ends: the createdAt of its newest message, or +Infinity when fewer are
 * left (the page reaches the end of the chat). Reads at most `size` rows.
 */
export async function endOfPageAbove(db: ParleyDatabase, sessionId: string, after: number, size: number): Promise<number> {
  const rows = await range(db, sessionId, after, Number.POSITIVE_INFINITY, true).limit(size).toArray()
  const newest = rows.at(-1)
  return rows.length === size && newest ? newest.createdAt : Number.POSITIVE_INFINITY
}

/** Each row's parent among `rows` (in creation order): its `parentId`, or the row before for rows from before the tree. */
function parentsOf(rows: readonly MessageRow[]): { ordered: MessageRow[]; parent: Map<string, string | undefined> } {
  const ordered = [...rows].sort((a, b) => a.createdSeq - b.createdSeq)
  const parent = new Map<string, string | undefined>()
  ordered.forEach((row, at) => parent.set(row.id, row.parentId === undefined ? ordered[at - 1]?.id : (row.parentId ?? undefined)))
  return { ordered, parent }
}

/** The newest row in `rows` that is `id` or descends from it. */
export function newestDescendant(rows: readonly MessageRow[], id: string): string | undefined {
  const { ordered, parent } = parentsOf(rows)
  const descends = new Set<string>([id])
  let newest: string | undefined = ordered.some((row) => row.id === id) ? id : undefined
  for (const row of ordered) {
    const above = parent.get(row.id)
    if (above !== undefined && descends.has(above)) {
      descends.add(row.id)
      newest = row.id
    }
  }
  return newest
}

/** Whether `ancestorId` is `id` or one of its ancestors within `rows`. */
function leadsTo(rows: readonly MessageRow[], ancestorId: string, id: string): boolean {
  const { parent } = parentsOf(rows)
  for (let at: string | undefined = id; at !== undefined; at = parent.get(at)) if (at === ancestorId) return true
  return false
}

/**
 * The rows of the window, newest first, at most `cap` of them: a window over its cap (the leaf moved far ahead)
 * starts later instead, at a whole millisecond so none of its messages are cut off.
 */
async function windowRows(db: ParleyDatabase, sessionId: string, start: number, endAt: number, cap: number): Promise<{ rows: MessageRow[]; start: number }> {
  const rows = await range(db, sessionId, start, endAt).reverse().limit(cap + 1).toArray()
  if (rows.length <= cap) return { rows, start }
  const cut = rows[cap]?.createdAt ?? start
  const kept = rows.filter((row) => row.createdAt > cut)
  const oldest = kept.at(-1)
  // Every row in one millisecond (cap + 1 of them): keep them all rather than lose some.
  if (!oldest) return { rows: await range(db, sessionId, cut, cut).toArray(), start: cut }
  return { rows: kept, start: oldest.createdAt }
}

/** How many rows a window may hold: what the view sets as its cap plus slack for one page moved in. */
export interface WindowLimits {
  /** Rows in a page (the view's step). */
  page: number
  /** Rows a window holds at most before the view drops far pages (reads never exceed it). */
  cap: number
}

/**
 * One window of a chat. Costs a session read, a leaf read, at most `cap` rows for the window and one row on each side
 * to tell whether there is more: bounded whatever the window's distance from the end of the chat. A chat opened at
 * its end usually costs one round trip of `page + 1` rows (`newestPage`).
 */
export async function readWindow(db: ParleyDatabase, sessionId: string, window: MessageWindow, limits: WindowLimits): Promise<WindowPage> {
  if (window.end.kind === 'leaf' && window.start === Number.POSITIVE_INFINITY) {
    const newest = await newestPage(db, sessionId, limits)
    if (newest) return newest
  }
  return readAnyWindow(db, sessionId, window, limits)
}

/** `readWindow` without its shortcut for a chat opened at its end (exported for the test that they agree). */
export async function readAnyWindow(db: ParleyDatabase, sessionId: string, window: MessageWindow, limits: WindowLimits): Promise<WindowPage> {
  const session = await db.sessions.get(sessionId)
  const sessionLeafId = session?.leafId
  const leaf = sessionLeafId === undefined ? undefined : await db.messages.get(sessionLeafId)
  const leafAt = leaf ? leaf.createdAt : Number.POSITIVE_INFINITY
  const endAt = window.end.kind === 'leaf' ? leafAt : window.end.createdAt
  // The leaf moved above the window (a branch switched to an old message), or the window's start is still to be found
  // (+Infinity; with no leaf, endAt is +Infinity too): the window becomes the page ending at the leaf.
  const start = window.start > endAt || window.start === Number.POSITIVE_INFINITY ? await startOfPageBelow(db, sessionId, endAt, limits.page, false) : window.start
  // At the live end the rows run past the leaf too: a branch's newer siblings (a regenerated answer switched away
  // from) must be read for its "< 1/2 >". Unless they push the leaf out of the cap: then up to the leaf only.
  const readLive = async () => {
    const past = await windowRows(db, sessionId, start, Number.POSITIVE_INFINITY, limits.cap)
    return !leaf || past.rows.some((row) => row.id === leaf.id) ? past : windowRows(db, sessionId, start, endAt, limits.cap)
  }
  const [read, older, newer] = await Promise.all([
    window.end.kind === 'leaf' ? readLive() : windowRows(db, sessionId, start, endAt, limits.cap),
    start === Number.NEGATIVE_INFINITY ? undefined : range(db, sessionId, Number.NEGATIVE_INFINITY, start, false, true).last(),
    endAt === Number.POSITIVE_INFINITY ? undefined : range(db, sessionId, endAt, Number.POSITIVE_INFINITY, true).first()
  ])
  const messages = read.rows.sort(inConversationOrder)
  const end = window.end
  // An `at` window reaches the leaf when the leaf is in it on the branch shown (not on another one, opened at).
  const leafInWindow = leaf !== undefined && leafAt <= endAt && messages.some((row) => row.id === leaf.id)
  const reachesLeaf =
    end.kind === 'leaf' || (leafInWindow && sessionLeafId !== undefined && leadsTo(messages, end.anchorId, sessionLeafId))
  const branchLeafId =
    end.kind === 'leaf' || reachesLeaf
      ? sessionLeafId
      : end.anchor === 'exact'
        ? end.anchorId
        : newestDescendant(messages, end.anchorId)
  return {
    messages,
    start: read.start,
    endAt,
    hasOlder: older !== undefined,
    hasNewer: end.kind === 'at' && newer !== undefined && !reachesLeaf,
    branchLeafId,
    sessionLeafId,
    reachesLeaf,
    leafSeq: session?.leafSeq ?? 0
  }
}

/**
 * A window around one message (opening a chat at a search result or a link): half a page on each side of it, read on
 * the index from its createdAt both ways, the branch drawn through it. Undefined when the message is not in the chat.
 */
export async function windowAround(db: ParleyDatabase, sessionId: string, messageId: string, limits: WindowLimits): Promise<MessageWindow | undefined> {
  const target = await db.messages.get(messageId)
  if (!target || target.sessionId !== sessionId) return undefined
  const half = Math.max(1, Math.floor(limits.page / 2))
  const [start, endAt] = await Promise.all([
    startOfPageBelow(db, sessionId, target.createdAt, half, true),
    endOfPageAbove(db, sessionId, target.createdAt, half)
  ])
  return { start, end: { kind: 'at', createdAt: endAt, anchorId: target.id, anchor: 'newest-descendant' } }
}

/**
 * A chat opened at its live end, in one round trip: the session and its newest `page + 1` rows read together. It is
 * the page the general read finds (the page ending at the leaf, and whether anything is older) whenever the leaf is
 * the chat's newest message and the page doesn't end inside a millisecond; otherwise undefined, and the general read,
 * four round trips in a row, decides. Opening a long chat waited ~25 ms on those round trips (issue 11).
 */
async function newestPage(db: ParleyDatabase, sessionId: string, limits: WindowLimits): Promise<WindowPage | undefined> {
  const [session, rows] = await Promise.all([
    db.sessions.get(sessionId),
    range(db, sessionId, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY).reverse().limit(limits.page + 1).toArray()
  ])
  const sessionLeafId = session?.leafId
  const leaf = sessionLeafId === undefined ? undefined : rows.find((row) => row.id === sessionLeafId)
  // A leaf below the newest message (a branch switched back), or not among these rows: the general read.
  if (sessionLeafId !== undefined && (!leaf || leaf.createdAt !== rows[0]?.createdAt)) return undefined
  const oldest = rows[limits.page - 1]
  const start = oldest ? oldest.createdAt : Number.NEGATIVE_INFINITY
  const beyond = rows[limits.page]
  // The page's oldest millisecond goes on past the rows read: the general read takes all of it.
  if (beyond && beyond.createdAt === start) return undefined
  return {
    messages: rows.slice(0, limits.page).sort(inConversationOrder),
    start,
    endAt: leaf ? leaf.createdAt : Number.POSITIVE_INFINITY,
    hasOlder: beyond !== undefined,
    hasNewer: false,
    branchLeafId: sessionLeafId,
    sessionLeafId,
    reachesLeaf: true,
    leafSeq: session?.leafSeq ?? 0
  }
}
