import { sessionRun, type ActivitySnapshot } from '../activity/session-activity'

export interface NewChatDeps {
  /** What main and this window are doing right now. */
  activity: ActivitySnapshot
  /** How many messages the chat has in Dexie. */
  countMessages(sessionId: string): Promise<number>
  /** Makes a chat in main and answers its id. */
  create(): Promise<string>
}

/**
 * Whether a chat has nothing in it yet: no message, nothing answering, queued or on its way to main. Such a chat is
 * what "New chat" would make, so it is reused instead of piling up empty "New chat" entries.
 */
export async function isEmptyChat(deps: Pick<NewChatDeps, 'activity' | 'countMessages'>, sessionId: string): Promise<boolean> {
  const run = sessionRun(deps.activity, sessionId)
  if (run.busy || run.queue.length > 0 || (deps.activity.pending.get(sessionId)?.length ?? 0) > 0) return false
  return (await deps.countMessages(sessionId)) === 0
}

/** The chat "New chat" opens: the current one when it is still empty, else a new one from main. */
export async function chatForNewChat(deps: NewChatDeps, current: string | undefined): Promise<string> {
  if (current !== undefined && (await isEmptyChat(deps, current))) return current
  return deps.create()
}
