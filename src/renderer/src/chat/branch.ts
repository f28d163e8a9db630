import { removalOf, type Message } from '../../../shared'

/** What the branch needs of a row: its id, role, parent, and the order main created it in. */
export type BranchRow = Pick<Message, 'id' | 'role' | 'parentId'> & { createdSeq: number }

/** One message on the current branch, with the messages beside it (same parent, same role), oldest first. */
export interface BranchItem<Row extends BranchRow> {
  message: Row
  /** Ids of the message and its siblings, oldest first: the switcher's "< 2/3 >". */
  siblings: readonly string[]
  /** Where the message is among `siblings`. */
  index: number
}

/** Stands for a parent older than the rows given (the page starts below it): such rows share one unknown parent. */
const beforeRows = '\u0000before'

/**
 * H3: the chat's current branch, from its first message (or the oldest one in `rows`) down to `leafId`, following
 * parents. A message without `parentId` (from before the tree) follows the message created before it. With no leaf,
 * or one not among the rows, the newest row is the leaf. Ancestors are always older than their children, so any
 * window of the newest rows holds the branch's newest part whole.
 */
export function currentBranch<Row extends BranchRow>(rows: readonly Row[], leafId: string | undefined): BranchItem<Row>[] {
  const ordered = [...rows].sort((a, b) => a.createdSeq - b.createdSeq)
  const byId = new Map(ordered.map((row) => [row.id, row]))
  /** Each row's parent id: '' for a branch root, `beforeRows` for a parent older than the rows. */
  const parents = new Map<string, string>()
  const siblingIds = new Map<string, string[]>()
  ordered.forEach((row, at) => {
    const parent = row.parentId === undefined ? (ordered[at - 1]?.id ?? beforeRows) : (row.parentId ?? '')
    parents.set(row.id, parent)
    const key = `${parent}\u0000${row.role}`
    const group = siblingIds.get(key)
    if (group) group.push(row.id)
    else siblingIds.set(key, [row.id])
  })
  const leaf = (leafId === undefined ? undefined : byId.get(leafId)) ?? ordered.at(-1)
  const branch: BranchItem<Row>[] = []
  for (let row = leaf; row; row = byId.get(parents.get(row.id) ?? '')) {
    const siblings = siblingIds.get(`${parents.get(row.id) ?? ''}\u0000${row.role}`) ?? [row.id]
    branch.push({ message: row, siblings, index: siblings.indexOf(row.id) })
  }
  return branch.reverse()
}

/**
 * The rows as they will be once main has the deletions waiting out their Undo time: each deleted message goes with
 * the branch below it, and the leaf moves as main will move it (`removalOf`, the same function main uses).
 */
export function withoutDeleted<Row extends BranchRow>(
  rows: readonly Row[],
  leafId: string | undefined,
  deleted: ReadonlySet<string>
): { rows: readonly Row[]; leafId: string | undefined } {
  const hit = rows.filter((row) => deleted.has(row.id))
  if (hit.length === 0) return { rows, leafId }
  const entries = [...rows].sort((a, b) => a.createdSeq - b.createdSeq).map((row) => ({ id: row.id, parentId: row.parentId ?? null }))
  const removed = new Set<string>()
  let leaf: string | null = leafId ?? entries.at(-1)?.id ?? null
  for (const row of hit) {
    const removal = removalOf(entries.filter((entry) => !removed.has(entry.id)), row.id, leaf)
    for (const id of removal.messageIds) removed.add(id)
    leaf = removal.leafId
  }
  return { rows: rows.filter((row) => !removed.has(row.id)), leafId: leaf ?? undefined }
}
