import { idSchema } from '../../../shared'
import type { ParleyDatabase } from '../db/schema'
import { preferenceStorage, type PreferenceStorage } from '../look/theme'

const storageKey = 'parley.lastOpenChat'

/** The chat the window showed last, as kept; undefined when none is kept, or the value is not a chat id. */
export function readLastOpenChat(storage: PreferenceStorage | undefined): string | undefined {
  try {
    const parsed = idSchema.safeParse(storage?.getItem(storageKey))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * Keeps the chat the window shows now, for the next start (nothing, when storage refuses). Written only when it
 * changes: a start shows the chat kept, and a write of the same value cost the first render ~9 ms (a trace at 50,000
 * chats).
 */
export function keepLastOpenChat(storage: PreferenceStorage | undefined, sessionId: string): void {
  try {
    if (storage?.getItem(storageKey) === sessionId) return
    storage?.setItem(storageKey, sessionId)
  } catch {
    // Not kept: the next start opens the newest chat, as with none kept.
  }
}

/**
 * The chat a start opens: the one the window showed last, while it still exists in this window's history (deleted
 * meanwhile, from the command line or another window, or a history rebuilt without it: none, and the newest opens).
 */
export async function lastOpenChatToShow(db: ParleyDatabase, storage: PreferenceStorage | undefined = preferenceStorage()): Promise<string | undefined> {
  const kept = readLastOpenChat(storage)
  if (kept === undefined) return undefined
  try {
    return (await db.sessions.get(kept)) ? kept : undefined
  } catch {
    return undefined
  }
}
