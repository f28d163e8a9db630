/** The sidebar's chats as the choice needs them: whether one is listed, and the newest. O(1), whatever their number. */
export interface ListedChats {
  has: (sessionId: string) => boolean
  newest: string | undefined
}

/**
 * Which chat the window shows, given the sidebar's chats. The selection stays while its chat exists,
 * and also while it is too new to be listed (created in main, its event not yet committed to Dexie). Once a chat
 * that was listed disappears (deleted, here or elsewhere), the newest chat is shown instead.
 */
export function chooseSession(
  listed: ListedChats,
  selected: string | undefined,
  listedBefore: ReadonlySet<string>
): string | undefined {
  if (selected !== undefined && (listed.has(selected) || !listedBefore.has(selected))) return selected
  return listed.newest
}

/** The chat to show after deleting `deleted`: its neighbour below, else above, else none. */
export function neighbourOf(ids: readonly string[], deleted: string): string | undefined {
  const at = ids.indexOf(deleted)
  if (at < 0) return ids[0]
  return ids[at + 1] ?? ids[at - 1]
}
