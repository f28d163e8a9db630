import type { ParleyEvent } from '../../../shared'
import type { UnseenMark } from '../db/schema'

// The mark's two seqs only ever grow (each change is a max), so applying the same event twice, replaying it after a
// reload, or two windows writing in either order all end in the same mark.

/** Whether the sidebar marks the chat: an answer finished out of sight after what was last seen. Rows from before marks existed have neither seq, and are seen. */
export function isUnseen(mark: UnseenMark): boolean {
  return (mark.unseenSeq ?? 0) > (mark.seenSeq ?? 0)
}

/** An answer that finished: its chat and the seq of the event that finished it. */
export interface FinishedAnswer {
  sessionId: string
  seq: number
}

/**
 * The events that finish an answer: an assistant message finishing (whatever its finish reason: an error or a stop
 * is worth seeing too), or a run completing. A run cancelled before it answered leaves nothing to see.
 */
export function finishedAnswer(event: ParleyEvent): FinishedAnswer | undefined {
  if (event.type === 'message.finished' && event.message.role === 'assistant') {
    return { sessionId: event.message.sessionId, seq: event.seq }
  }
  if (event.type === 'run.complete' && !event.complete.cancelled) {
    return { sessionId: event.complete.sessionId, seq: event.seq }
  }
  return undefined
}

/**
 * What a finished answer changes: seen through it when the person is looking at the chat, otherwise unseen. Undefined
 * when the mark already says as much (an event applied twice changes nothing).
 */
export function afterFinish(mark: UnseenMark, seq: number, watching: boolean): UnseenMark | undefined {
  if (watching) return seq > (mark.seenSeq ?? 0) ? { seenSeq: seq } : undefined
  if (seq <= (mark.seenSeq ?? 0) || seq <= (mark.unseenSeq ?? 0)) return undefined
  return { unseenSeq: seq }
}

/** Opening the chat, or coming back to the window while it is open, sees everything the mark is for. */
export function afterOpen(mark: UnseenMark): UnseenMark | undefined {
  return isUnseen(mark) ? { seenSeq: mark.unseenSeq } : undefined
}
