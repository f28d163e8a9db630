import { z } from 'zod'
import { archiveFormat, archiveVersion, problemPath, type ArchivedChat, type ArchivedMessage, type ChatArchive } from './chat-archive'

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
  metadata: z.object({ is_visually_hidden_from_conversation: z.boolean().optional() }).passthrough().optional()
})

const chatGptNodeSchema = z.object({
  id: z.string().min(1),
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

/** Whether parsed JSON looks like ChatGPT's export rather than Parley's (an array of conversations with `mapping`). */
export function looksLikeChatGpt(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === 'object' && value[0] !== null && 'mapping' in value[0]
}

type Reading = { ok: true; archive: ChatArchive } | { ok: false; problems: string[] }

/** The text a ChatGPT message shows: its string parts (text and multimodal text), or its `text`. */
function textOf(message: z.infer<typeof chatGptMessageSchema>): string {
  const strings = (message.content.parts ?? []).filter((part): part is string => typeof part === 'string')
  return strings.length > 0 ? strings.join('\n') : (message.content.text ?? '')
}

/** Seconds (ChatGPT's times) to milliseconds; a missing time takes the one given. */
const millis = (seconds: number | null | undefined, otherwise: number): number =>
  typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : otherwise

function conversationToChat(conversation: z.infer<typeof chatGptConversationSchema>, index: number, now: number): ArchivedChat {
  const chatKey = conversation.conversation_id ?? conversation.id ?? `conversation-${index}`
  const createdAt = millis(conversation.create_time, now)
  const nodes = conversation.mapping
  /** The id a node has in Parley if kept, else its nearest kept ancestor's (null: none). */
  const keptAs = new Map<string, string | null>()
  const messages: ArchivedMessage[] = []
  const resolve = (nodeId: string | null | undefined, depth = 0): string | null => {
    if (!nodeId || depth > 100_000) return null
    const known = keptAs.get(nodeId)
    if (known !== undefined) return known
    const node = nodes[nodeId]
    if (!node) return null
    const parent = resolve(node.parent, depth + 1)
    const message = node.message
    const role = message?.author.role
    const text = message ? textOf(message) : ''
    const shown = (role === 'user' || role === 'assistant') && text.trim() !== '' && !message?.metadata?.is_visually_hidden_from_conversation
    if (!message || !shown) {
      keptAs.set(nodeId, parent)
      return parent
    }
    const id = `chatgpt-${node.id}`
    keptAs.set(nodeId, id)
    messages.push({
      id,
      parentId: parent,
      role: role === 'user' ? 'user' : 'assistant',
      parts: [{ type: 'text', text }],
      createdAt: millis(message.create_time, createdAt),
      ...(role === 'assistant' ? { finishReason: 'end_turn' as const } : {})
    })
    return id
  }
  for (const nodeId of Object.keys(nodes)) resolve(nodeId)
  const leafId = resolve(conversation.current_node) ?? messages.at(-1)?.id ?? null
  return {
    id: `chatgpt-${chatKey}`,
    title: conversation.title?.trim() ? conversation.title.trim().slice(0, 500) : null,
    ...(conversation.title?.trim() ? { titleSource: 'user' as const } : {}),
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
  return { ok: true, archive: { format: archiveFormat, version: archiveVersion, exportedAt: now, chats } }
}
