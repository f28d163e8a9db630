/**
 * Which chat the window shows, given the sidebar's ids (newest first). The selection stays while its chat exists,
 * and also while it is too new to be listed (created in main, its event not yet committed to Dexie). Once a chat
 * that was listed disappears (deleted, here or elsewhere), the newest chat is shown instead.
 */
export function chooseSession(
  ids: readonly string[],
  selected: string | undefined,
  listedBefore: ReadonlySet<string>
): string | undefined {
  if (selected !== undefined && (ids.includes(selected) || !listedBefore.has(selected))) return selected
  return ids[0]
}

/** The chat to show after deleting `deleted`: its neighbour below, else above, else none. */
export function neighbourOf(ids: readonly string[], deleted: string): string | undefined {
  const at = ids.indexOf(deleted)
  if (at < 0) return ids[0]
  return ids[at + 1] ?? ids[at - 1]
}
