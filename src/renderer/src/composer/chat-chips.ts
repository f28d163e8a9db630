import { chipList, type AttachmentChip, type ChipAction } from '../attachments/chip-list'

/** The composer's attachments, per chat: each chat keeps its own until sent (`noChat`: the box with no chat yet). */
export type ChatChips = ReadonlyMap<string, readonly AttachmentChip[]>

/** The key of the box with no chat yet (a first prompt, or one written while "New chat" opens one). */
export const noChat = '\u0000no-chat'

export type ChatChipsChange =
  /** Something done to the chips of chat `chat`: adding, clearing, a refused send's chips back. */
  | { chat: string; action: ChipAction }
  /** The chips of the box with no chat go with the chat made for them. */
  | { moved: { to: string } }

function withList(chats: ChatChips, chat: string, list: readonly AttachmentChip[]): ChatChips {
  const next = new Map(chats)
  if (list.length === 0) next.delete(chat)
  else next.set(chat, list)
  return next
}

export function chatChips(chats: ChatChips, change: ChatChipsChange): ChatChips {
  if ('moved' in change) {
    const waiting = chats.get(noChat)
    if (!waiting) return chats
    return withList(withList(chats, noChat, []), change.moved.to, [...(chats.get(change.moved.to) ?? []), ...waiting])
  }
  const { chat, action } = change
  // An action on one chip (progress, attached, refused, removed) reaches it in whichever chat holds it: its file may
  // still have been on its way when the person switched chats.
  const key = 'key' in action ? action.key : undefined
  if (key === undefined) return withList(chats, chat, chipList(chats.get(chat) ?? [], action))
  const holder = [...chats].find(([, list]) => list.some((chip) => chip.key === key))
  return holder ? withList(chats, holder[0], chipList(holder[1], action)) : chats
}
