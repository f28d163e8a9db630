import { z } from 'zod'
import { idSchema } from './call'
import { messageSchema } from './message'
import { chatModelSchema, sessionSchema } from './session'

const seqSchema = z.number().int().nonnegative()

/**
 * What a window needs to know at start to tell whether its IndexedDB can catch up by replay: main can replay every
 * history event after `replayableAfter`. A window whose last applied seq is below it (its IndexedDB was lost, is
 * new, or another window acknowledged events it never got) rebuilds from `historySnapshot`.
 */
export const historyStateSchema = z.object({
  replayableAfter: seqSchema,
  /** How many chats main's log holds. */
  sessions: seqSchema,
  /**
   * Main's message store was damaged and replaced by an empty one at a start, and no window has sent its copy back
   * yet: a window holding chats sends them (`restoreLog`, then `finishLogRestore`) before anything else, and never
   * rebuilds from main until then (a rebuild would copy main's loss over its own copy).
   */
  logRestoreWanted: z.boolean().optional()
})
export type HistoryState = z.infer<typeof historyStateSchema>

/** How big one page may be: at most this many rows (sessions and messages), and about this much text. */
export const historyPageLimits = { rows: 500, textChars: 2_000_000 } as const

/** Where the next page starts: a snapshot main holds still, the index of a chat in it, and a message in that chat. */
export const snapshotCursorSchema = z
  .object({
    snapshotId: idSchema,
    /** The chat the next page starts in (snapshot order: the newest activity first). */
    session: seqSchema,
    /**
     * The next page holds this chat's messages created before this seq, newest first (0: the chat itself first, then
     * its newest message).
     */
    beforeSeq: seqSchema
  })
  .strict()
export type SnapshotCursor = z.infer<typeof snapshotCursorSchema>

/** A chat as main's log has it: its current leaf (rule H3; null: no message), and its last activity. */
export const snapshotSessionSchema = sessionSchema.extend({ leafId: z.string().min(1).nullable() })
export type SnapshotSession = z.infer<typeof snapshotSessionSchema>

/** A message as main's log has it, with the seq of its `message.created` (which orders messages made together). */
export const snapshotMessageSchema = z.object({ message: messageSchema, createdSeq: z.number().int().positive() })
export type SnapshotMessage = z.infer<typeof snapshotMessageSchema>

/**
 * One page of main's history. Every page of one snapshot is consistent with the same `seq`: it holds exactly what
 * the events through `seq` made, whatever main has published since. The window applies the events after `seq`.
 */
export const historyPageSchema = z.object({
  seq: seqSchema,
  sessions: z.array(snapshotSessionSchema).max(historyPageLimits.rows),
  messages: z.array(snapshotMessageSchema).max(historyPageLimits.rows),
  /** The whole snapshot's size, for progress. */
  totals: z.object({ sessions: seqSchema, messages: seqSchema }),
  /** null: this was the last page. */
  next: snapshotCursorSchema.nullable()
})
export type HistoryPage = z.infer<typeof historyPageSchema>

/**
 * `historySnapshot`'s argument: null starts a new snapshot; with `sessionId`, a snapshot of that one chat (none when
 * main has no such chat), which `parley show` reads instead of paging every chat. A cursor continues the snapshot it
 * names, which already knows which chats it holds.
 */
export const historySnapshotRequestSchema = z
  .object({ cursor: snapshotCursorSchema.nullable(), sessionId: idSchema.optional() })
  .strict()
  .refine((request) => request.cursor === null || request.sessionId === undefined, {
    message: 'sessionId starts a snapshot of one chat: send it with cursor null',
    path: ['sessionId']
  })
export type HistorySnapshotRequest = z.infer<typeof historySnapshotRequestSchema>

/**
 * One chat as `listChats` answers it: a snapshot's row (its leaf, and its last activity from its newest message), with
 * only the model of the chat's own options: a list of thousands of chats never carries their system prompts.
 */
export const chatListItemSchema = snapshotSessionSchema.omit({ options: true }).extend({ model: chatModelSchema.optional() })
export type ChatListItem = z.infer<typeof chatListItemSchema>

/**
 * `listChats`' argument: at most `limit` chats (the newest activity first); none lists them all. `parley run
 * --continue` asks for one.
 */
export const chatListRequestSchema = z.object({ limit: z.number().int().positive().optional() }).strict()
export type ChatListRequest = z.infer<typeof chatListRequestSchema>
