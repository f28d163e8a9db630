/** A message's place in a session's tree, as the log keeps it: its id and its parent (null for a branch root). */
export interface TreeEntry {
  id: string
  parentId: string | null
}

/** What deleting a message takes away, and where the session's current branch ends after it. */
export interface Removal {
  /** The message and every message below it, oldest first. */
  messageIds: string[]
  /** The new leaf: unchanged if it was not removed; else down from the message's parent by newest children. */
  leafId: string | null
}

/**
 * Deleting a message deletes the branch below it too (a reply without what it replies to means nothing). If the
 * current branch went with it, the chat shows what is left at that place: the newest remaining sibling's branch,
 * else the parent (null when the chat is left empty). `entries` are the session's messages, oldest first: a
 * parent always comes before its children.
 */
export function removalOf(entries: readonly TreeEntry[], messageId: string, leafId: string | null): Removal {
  const removed = new Set([messageId])
  for (const entry of entries) if (entry.parentId !== null && removed.has(entry.parentId)) removed.add(entry.id)
  const messageIds = entries.filter((entry) => removed.has(entry.id)).map((entry) => entry.id)
  if (leafId === null || !removed.has(leafId)) return { messageIds, leafId }
  const newestChild = new Map<string | null, string>()
  for (const entry of entries) if (!removed.has(entry.id)) newestChild.set(entry.parentId, entry.id)
  let leaf = entries.find((entry) => entry.id === messageId)?.parentId ?? null
  for (let next = newestChild.get(leaf); next !== undefined; next = newestChild.get(leaf)) leaf = next
  return { messageIds, leafId: leaf }
}
