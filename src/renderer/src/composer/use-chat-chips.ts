import { useCallback, useReducer, useRef, useState } from 'react'
import type { AttachmentChip, ChipAction } from '../attachments/chip-list'
import { chatChips, noChat } from './chat-chips'

const none: readonly AttachmentChip[] = []

/**
 * The composer's attachments, kept per chat as its text is (use-chat-draft.ts): switching chats swaps them, so a file
 * attached in one chat is never sent with a prompt in another. Attached with no chat yet, they go with the chat that is
 * then made. Kept in memory only: a reload starts with none (main's start sweeps files no prompt used).
 */
export function useChatChips(sessionId: string | undefined): [readonly AttachmentChip[], (action: ChipAction) => void] {
  const [chats, change] = useReducer(chatChips, new Map())
  const [chipsOf, setChipsOf] = useState(sessionId)
  if (chipsOf !== sessionId) {
    // During render, as the draft is swapped: no frame shows one chat's files under another.
    setChipsOf(sessionId)
    if (chipsOf === undefined && sessionId !== undefined) change({ moved: { to: sessionId } })
  }
  const chat = sessionId ?? noChat
  // To the chat shown when it is called, as a refused send's text comes back to the box shown then (a first prompt's
  // chat is made while it is refused). An action on one chip finds it wherever it is (chat-chips.ts).
  const shown = useRef(chat)
  shown.current = chat
  const dispatch = useCallback((action: ChipAction) => change({ chat: shown.current, action }), [])
  return [chats.get(chat) ?? none, dispatch]
}
