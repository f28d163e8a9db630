import { z } from 'zod'
import { archiveFormat, archiveVersion, problemPath, readArchive, type ArchivedChat, type ArchivedMessage, type ChatArchive } from './chat-archive'

/**
 * ChatGPT's data export (`conversations.json`): an array of conversations, each a tree of nodes keyed by id, with
 * the node shown last (`current_node`). Only what Parley keeps is read; everything else may be anything.
 */
const chatGptMessageSchema = z.object({
  author: z.object({ role: z.string() }),
  content: z
    .object({
      content_type: z.string(),
      parts: z.array(z.unknown()).optional(),
      text: z.string().optional()
    })
    .passthrough(),
  create_time: z.number().nullable().optional(),
  /** Who an assistant message was for: `all` (the person) or a tool (`python`, `browser`...). */
  recipient: z.string().optional(),
  metadata: z.object({ is_visually_hidden_from_conversation: z.boolean().optional() }).passthrough().nullable().optional()
})
type ChatGptMessage = z.infer<typeof chatGptMessageSchema>

const chatGptNodeSchema = z.object({
  id: z.string().min(1).optional(),
  parent: z.string().nullable().optional(),
  children: z.array(z.string()).optional(),
  message: chatGptMessageSchema.nullable().optional()
})

const chatGptConversationSchema = z.object({
  id: z.string().min(1).optional(),
  conversation_id: z.string().min(1).optional(),
  title: z.string().nullable().optional(),
  create_time: z.number().nullable().optional(),
  update_time: z.number().nullable().optional(),
  current_node: z.string().nullable().optional(),
  mapping: z.record(z.string(), chatGptNodeSchema)
})

export const chatGptExportSchema = z.array(chatGptConversationSchema)

/**
 * Whether parsed JSON looks like ChatGPT's export rather than Parley's (an array of conversations with `mapping`). An
 * empty array is the export of an account with no conversations: no chats, not a damaged file (Parley's is never an
 * array).
 */
export function looksLikeChatGpt(value: unknown): boolean {
  if (!Array.isArray(value)) return false
  const [first] = value as unknown[]
  return value.length === 0 || (typeof first === 'object' && first !== null && 'mapping' in first)
}

type Reading = { ok: true; archive: ChatArchive } | { ok: false; problems: string[] }

/** The content types that are the conversation itself (not code for a tool, a tool's output or hidden thoughts). */
const shownContent = new Set(['text', 'multimodal_text'])

/**
 * The text a ChatGPT message shows: its string parts (text, and the text of multimodal messages), or its `text`.
 * An image or a file (a part that is an object) is not brought along: it leaves a marker where it was.
 */
function textOf(message: ChatGptMessage): string {
  const parts = message.content.parts
  if (!parts) return message.content.text ?? ''
  const texts = parts.flatMap((part) => {
    if (typeof part === 'string') return part === '' ? [] : [part]
    const type = typeof part === 'object' && part !== null && 'content_type' in part ? String(part.content_type) : ''
    return [type.includes('image') ? '[image not imported]' : '[attachment not imported]']
  })
  return texts.join('\n\n')
}

/** Whether a node's message is one people saw in the conversation: a user's or an answer to them, with something in it. */
function isShown(message: ChatGptMessage): boolean {
  const role = message.author.role
  if (role !== 'user' && role !== 'assistant') return false
  if (!shownContent.has(message.content.content_type)) return false
  if (message.recipient !== undefined && message.recipient !== 'all') return false
  if (message.metadata?.is_visually_hidden_from_conversation) return false
  return textOf(message).trim() !== ''
}

/** Seconds (ChatGPT's times) to milliseconds; a missing time takes the one given. */
const millis = (seconds: number | null | undefined, otherwise: number): number =>
  typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : otherwise

type Conversation = z.infer<typeof chatGptConversationSchema>

function conversationToChat(conversation: Conversation, index: number, now: number): ArchivedChat {
  const chatKey = conversation.conversation_id ?? conversation.id ?? `conversation-${index}`
  const chatId = `chatgpt-${chatKey}`.slice(0, 128)
  const createdAt = millis(conversation.create_time, now)
  const nodes = conversation.mapping
  /** The id a node has in Parley if kept, else its nearest kept ancestor's (null: none). */
  const keptAs = new Map<string, string | null>()
  const messages: ArchivedMessage[] = []
  /**
   * Walks up from a node to the first one already placed (or the root), then places the walked nodes top down, so
   * parents are always written before their children. A loop of parents ends the walk (it is treated as a root).
   */
  const place = (start: string): string | null => {
    const chain: string[] = []
    const onChain = new Set<string>()
    let above: string | null = null
    for (let nodeId: string | null | undefined = start; nodeId; ) {
      const known = keptAs.get(nodeId)
      if (known !== undefined) {
        above = known
        break
      }
      const node: z.infer<typeof chatGptNodeSchema> | undefined = nodes[nodeId]
      if (!node || onChain.has(nodeId)) break
      chain.push(nodeId)
      onChain.add(nodeId)
      nodeId = node.parent
    }
    for (const nodeId of chain.reverse()) {
      const message = nodes[nodeId]?.message
      if (!message || !isShown(message)) {
        keptAs.set(nodeId, above)
        continue
      }
      // The conversation's id too: ChatGPT's node ids need not be unique across conversations.
      const id = `chatgpt-${chatKey.slice(0, 48)}-${nodeId.slice(0, 64)}`
      keptAs.set(nodeId, id)
      messages.push({
        id,
        parentId: above,
        role: message.author.role === 'user' ? 'user' : 'assistant',
        parts: [{ type: 'text', text: textOf(message) }],
        createdAt: millis(message.create_time, createdAt),
        ...(message.author.role === 'assistant' ? { finishReason: 'end_turn' as const } : {})
      })
      above = id
    }
    return above
  }
  // Oldest first, so among siblings the newer one is written later (it is the one a branch continues to, as in Parley).
  const order = Object.keys(nodes)
    .map((nodeId, position) => ({ nodeId, position, at: nodes[nodeId]?.message?.create_time ?? -1 }))
    .sort((a, b) => a.at - b.at || a.position - b.position)
  for (const { nodeId } of order) place(nodeId)
  const leafId = (conversation.current_node ? place(conversation.current_node) : null) ?? messages.at(-1)?.id ?? null
  const title = conversation.title?.trim() ? conversation.title.trim().slice(0, 500) : null
  return {
    id: chatId,
    title,
    ...(title ? { titleSource: 'user' as const } : {}),
    createdAt,
    updatedAt: millis(conversation.update_time, createdAt),
    leafId,
    messages
  }
}

/**
 * A ChatGPT export as a Parley archive: user and assistant messages with text, in their tree (system, tool and
 * hidden messages are left out, and their children hang from the nearest message kept), the branch shown last as
 * the leaf. Ids are ChatGPT's, prefixed, so importing the same export twice adds nothing.
 */
export function readChatGptExport(value: unknown, now = Date.now()): Reading {
  const parsed = chatGptExportSchema.safeParse(value)
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.slice(0, 20).map((issue) => `${problemPath(issue.path)}: ${issue.message}`) }
  }
  const chats = parsed.data.map((conversation, index) => conversationToChat(conversation, index, now))
  // What was made is checked as any archive is (two conversations with one id, an id too long for Parley).
  return readArchive({ format: archiveFormat, version: archiveVersion, exportedAt: now, chats })
}
