import { useEffect, useMemo, useRef, useState } from 'react'
import { draftStorage, keepDraft, readDraft } from './drafts'

/**
 * The composer's text, kept per chat (drafts.ts): switching chats swaps it, and a reload or a restart finds it again.
 * Typed with no chat yet (`undefined`), the text is for the chat that is then made (a first prompt, or one typed while
 * "New chat" opened it) and goes with it; an empty box with no chat leaves the draft of the chat it comes back to.
 */
export function useChatDraft(sessionId: string | undefined): [string, (next: string | ((current: string) => string)) => void] {
  const drafts = useMemo(draftStorage, [])
  const [draft, setDraft] = useState(() => readDraft(drafts, sessionId))
  const [draftOf, setDraftOf] = useState(sessionId)
  if (draftOf !== sessionId) {
    // During render, so no frame shows one chat's text under another.
    setDraftOf(sessionId)
    if (draftOf !== undefined || draft === '') setDraft(readDraft(drafts, sessionId))
  }
  useEffect(() => {
    keepDraft(drafts, sessionId, draft)
  }, [drafts, sessionId, draft])
  const chatBefore = useRef(sessionId)
  useEffect(() => {
    if (chatBefore.current === undefined && sessionId !== undefined) keepDraft(drafts, undefined, '')
    chatBefore.current = sessionId
  }, [drafts, sessionId])
  return [draft, setDraft]
}
