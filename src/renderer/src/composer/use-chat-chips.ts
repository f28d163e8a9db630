import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react'
import type { AttachmentChip, ChipAction } from '../attachments/chip-list'
import { useParley } from '../parley-context'
import { chatChips, noChat, type ChatChips } from './chat-chips'
import { missingAttachmentText } from '../../../shared'
import { isKeptChip, keepDraftFiles, readDraftFiles } from './draft-files'
import { draftStorage } from './drafts'

const none: readonly AttachmentChip[] = []

const storageChat = (chat: string): string | undefined => (chat === noChat ? undefined : chat)

/**
 * The composer's attachments, kept per chat as its text is (use-chat-draft.ts): switching chats swaps them, so a file
 * attached in one chat is never sent with a prompt in another. Attached with no chat yet, they go with the chat that is
 * then made. Each chat's attached files are kept with its draft (draft-files.ts): a reload or a restart finds them on
 * the composer again, each checked once with main, which holds it again for the draft or says it is gone (the chip
 * then says so, and the prompt can't be sent until it is removed).
 */
export function useChatChips(sessionId: string | undefined): [readonly AttachmentChip[], (action: ChipAction) => void] {
  const { api } = useParley()
  const storage = useMemo(draftStorage, [])
  const chat = sessionId ?? noChat
  const [chats, change] = useReducer(chatChips, undefined, (): ChatChips => {
    const kept = readDraftFiles(storage, sessionId)
    return kept.length === 0 ? new Map() : new Map([[chat, kept]])
  })
  // The chats whose kept files were read (once each, as they are first shown).
  const [read, setRead] = useState<ReadonlySet<string>>(() => new Set([chat]))
  const [chipsOf, setChipsOf] = useState(sessionId)
  if (chipsOf !== sessionId) {
    // During render, as the draft is swapped: no frame shows one chat's files under another.
    setChipsOf(sessionId)
    if (chipsOf === undefined && sessionId !== undefined) change({ moved: { to: sessionId } })
  }
  if (!read.has(chat)) {
    setRead(new Set(read).add(chat))
    const kept = readDraftFiles(storage, sessionId)
    if (kept.length > 0) change({ chat, action: { type: 'restored', chips: kept } })
  }

  // What changed is kept: a chat's list written as it changes, removed once it is sent or emptied.
  const written = useRef(chats)
  useEffect(() => {
    const before = written.current
    written.current = chats
    for (const key of new Set([...before.keys(), ...chats.keys()])) {
      if (before.get(key) !== chats.get(key)) keepDraftFiles(storage, storageChat(key), chats.get(key) ?? none)
    }
  }, [chats, storage])

  // To the chat shown when it is called, as a refused send's text comes back to the box shown then (a first prompt's
  // chat is made while it is refused). An action on one chip finds it wherever it is (chat-chips.ts).
  const shown = useRef(chat)
  shown.current = chat
  const dispatch = useCallback((action: ChipAction) => change({ chat: shown.current, action }), [])

  // Kept files are checked with main once: held again for the draft, or marked gone (swept after two weeks unused).
  // A check that can't be made (main unreachable) is made again when the chips are next drawn.
  const list = chats.get(chat) ?? none
  const checked = useRef(new Set<string>())
  useEffect(() => {
    const unchecked = list.flatMap((chip) =>
      isKeptChip(chip) && chip.state.phase === 'attached' && !checked.current.has(chip.key) ? [{ chip, id: chip.state.ref.id }] : []
    )
    if (unchecked.length === 0) return
    for (const { chip } of unchecked) checked.current.add(chip.key)
    api.holdAttachments(unchecked.map(({ id }) => id)).then(
      (held) => {
        for (const { chip, id } of unchecked) {
          if (!held.includes(id)) change({ chat, action: { type: 'refused', key: chip.key, error: missingAttachmentText(chip.name) } })
        }
      },
      () => {
        for (const { chip } of unchecked) checked.current.delete(chip.key)
      }
    )
  }, [api, chat, list])
  return [list, dispatch]
}
