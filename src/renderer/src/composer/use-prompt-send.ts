import { useEffect, useRef, useState } from 'react'
import { modelOfChat } from '../attachments/chat-model'
import { attachedRefs, sendBlocker, type AttachmentChip, type ChipAction } from '../attachments/chip-list'
import { useAttachmentServices } from '../attachments/services'
import { visionWarning } from '../attachments/vision-check'
import { promptsSentNow } from '../chat/prompts-sent-now'
import { useParley } from '../parley-context'
import { PromptOrder } from './prompt-order'
import { draftAfterRefusal, sendPrompt, type NewChat } from './send-prompt'

export interface PromptSendInput {
  /** The chat prompts go to; undefined while there is none, or while "New chat" is opening one (`newChat`). */
  sessionId: string | undefined
  newChat: NewChat
  onSession: (sessionId: string) => void
  /** The composer's text and its setter (use-chat-draft.ts). */
  draft: string
  setDraft: (next: string | ((current: string) => string)) => void
  /** Its attachments and their reducer (use-chat-chips.ts). */
  chips: readonly AttachmentChip[]
  dispatch: (action: ChipAction) => void
  /** The chat answers nothing and holds nothing queued: a prompt sent now runs at once. */
  idle: boolean
  /** Refuses a draft too long to go as text (use-long-prompt.ts); true when it did. */
  refuseTooLong: () => boolean
  /** What the composer says under its box; undefined clears it. */
  setError: (error: string | undefined) => void
}

export interface PromptSend {
  /** Enter or Send: the prompt goes, or waits for "Send anyway" when images go to a model that may not read them. */
  send: () => void
  /** "Send anyway": sends without asking about images. */
  sendNow: () => void
  /** The vision warning waiting for "Send anyway" or "Cancel". */
  warning: string | undefined
  /** Cancel, or what the warning was about changed: the next send asks again. */
  dismissWarning: () => void
}

/**
 * Sending the composer's prompt: refused while too long or while a file is on its way or refused; images asked about
 * first; the box cleared at once and given back, with its chips, if main refuses.
 */
export function usePromptSend(input: PromptSendInput): PromptSend {
  const { sessionId, newChat, onSession, draft, setDraft, chips, dispatch, idle, refuseTooLong, setError } = input
  const { api, activity, deletes, db } = useParley()
  const services = useAttachmentServices()
  const [warning, setWarning] = useState<string>()
  // Prompts leave for main in the order they were sent, whichever chat each goes to (prompt-order.ts).
  const [order] = useState(() => new PromptOrder())
  // What the composer holds now, for answers that arrive after the person changed it.
  const draftRef = useRef(draft)
  draftRef.current = draft
  const chipsRef = useRef(chips)
  chipsRef.current = chips

  // The chat the first prompt made is shown (or another was chosen): a prompt with no chat makes a new one again.
  useEffect(() => {
    if (sessionId) newChat.forget()
  }, [sessionId, newChat])

  /** Refuses a prompt too long to go as text, with the sentence under the box, never main's refusal. */
  const refusedAsTooLong = (): boolean => {
    if (!refuseTooLong()) return false
    setWarning(undefined)
    return true
  }

  const sendNow = (): void => {
    if (refusedAsTooLong()) return
    const prompt = draft
    const sent = chips
    // "Send anyway" may come after another file was added: it waits for that one too.
    const blocker = sendBlocker(sent)
    if (blocker) {
      setWarning(undefined)
      setError(blocker)
      return
    }
    // The box clears at once; a refused prompt comes back (below), with its chips, so nothing is lost.
    setDraft('')
    dispatch({ type: 'cleared' })
    setError(undefined)
    setWarning(undefined)
    const attachments = attachedRefs(sent)
    // Sent to an idle chat, it runs at once: the chat list comes down to it (chat/prompts-sent-now.ts).
    const newRunId = (): string => {
      const runId = crypto.randomUUID()
      if (idle) promptsSentNow.note(runId)
      return runId
    }
    void sendPrompt({ api, activity, newChat, deletes, newRunId, order }, { sessionId, prompt, attachments, onSession }).then((outcome) => {
      // Sent right behind another, before the chat's busy event reached the window: main says it waits after all.
      if (outcome.ok && outcome.result.state !== 'active') promptsSentNow.forget(outcome.result.runId)
      if (outcome.ok) return
      setDraft((current) => draftAfterRefusal(current, prompt))
      dispatch({ type: 'restored', chips: sent })
      setError(outcome.error)
    })
  }

  const send = (): void => {
    if (!draft.trim() && chips.length === 0) return
    if (refusedAsTooLong()) return
    const blocker = sendBlocker(chips)
    if (blocker) {
      setError(blocker)
      return
    }
    const images = attachedRefs(chips).filter((ref) => ref.kind === 'image').length
    if (images === 0) {
      sendNow()
      return
    }
    // Images go only after asking whether the model reads them: never a silent drop.
    const asked = { draft, chips }
    void modelOfChat({ api, db }, sessionId)
      .then(async (model) => visionWarning(await services.vision.support(model.providerId, model.model), model.model, images))
      .catch(() => visionWarning('unknown', 'the model', images))
      .then((shown) => {
        if (asked.draft !== draftRef.current || asked.chips !== chipsRef.current) return
        if (shown) setWarning(shown)
        else sendNow()
      })
  }

  return { send, sendNow, warning, dismissWarning: () => setWarning(undefined) }
}
