import { messageSchema, type Message } from '../../../shared'
import { sessionMessages } from './row-writes'
import type { MessageRow, ParleyDatabase } from './schema'

/** Oldest first; two messages made in the same millisecond keep the order main created them in. */
export function inConversationOrder(a: MessageRow, b: MessageRow): number {
  return a.createdAt - b.createdAt || a.createdSeq - b.createdSeq
}

/** A row in the shared `Message` shape: validated, with the row's own bookkeeping (`seq`, `createdSeq`) stripped. */
export function toMessage(row: MessageRow): Message {
  return messageSchema.parse(row)
}

/** A session's whole conversation, as main's history port asks for it at the start of a turn (rule B2). */
export async function readHistory(db: ParleyDatabase, sessionId: string): Promise<Message[]> {
  const rows = await sessionMessages(db, sessionId).toArray()
  return rows.sort(inConversationOrder).map(toMessage)
}
