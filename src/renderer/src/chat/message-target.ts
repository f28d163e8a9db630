import { z } from 'zod'

/**
 * A message to open a chat at (a search result, a link to a message): the chat scrolls to it, even deep in a long
 * chat, and marks it briefly. `serial` grows with each request, so the same message can be opened twice.
 */
export interface MessageTarget {
  sessionId: string
  messageId: string
  serial: number
}

const idSchema = z.string().min(1).max(200)
const linkSchema = z.object({ sessionId: idSchema, messageId: idSchema })
const linkPattern = /^#\/chat\/([^/]+)\/message\/([^/]+)$/

/** The link to a message, as the window's address takes it: `#/chat/<sessionId>/message/<messageId>`. */
export function messageLink(sessionId: string, messageId: string): string {
  return `#/chat/${encodeURIComponent(sessionId)}/message/${encodeURIComponent(messageId)}`
}

/** The chat and message a link names, or undefined for any other address (or a malformed one). */
export function linkedMessage(hash: string): { sessionId: string; messageId: string } | undefined {
  const match = linkPattern.exec(hash)
  if (!match) return undefined
  try {
    const parsed = linkSchema.safeParse({ sessionId: decodeURIComponent(match[1] ?? ''), messageId: decodeURIComponent(match[2] ?? '') })
    return parsed.success ? parsed.data : undefined
  } catch {
    // A stray % in the address: not a link of ours.
    return undefined
  }
}

/** The next request to open a message: a new serial even for the message opened last. */
export function nextTarget(previous: MessageTarget | undefined, sessionId: string, messageId: string): MessageTarget {
  return { sessionId, messageId, serial: (previous?.serial ?? 0) + 1 }
}
