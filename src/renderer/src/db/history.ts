import { messageSchema, type Message } from '../../../shared'
import type { MessageRow } from './schema'

/** Oldest first; two messages made in the same millisecond keep the order main created them in. */
export function inConversationOrder(a: MessageRow, b: MessageRow): number {
  return a.createdAt - b.createdAt || a.createdSeq - b.createdSeq
}

/** A row in the shared `Message` shape: validated, with the row's own bookkeeping (`seq`, `createdSeq`) stripped. */
export function toMessage(row: MessageRow): Message {
  return messageSchema.parse(row)
}
