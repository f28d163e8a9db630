import { useCallback, useMemo, useRef, useState } from 'react'
import { NewChat } from '../composer/send-prompt'
import { messageCount } from '../db/queries'
import { actionFailedNotice } from '../notices/action-failed'
import { useActivity, useParley } from '../parley-context'
import { chatForNewChat } from './new-chat'

export interface NewChatControl {
  /** "New chat" (the button, Ctrl+N): opens a new chat, or the current one when it is still empty. */
  open: () => void
  /** Whether the chat it opens is on its way: the composer's prompts go to `chat` meanwhile, not the chat on screen. */
  coming: boolean
  /** The chat a prompt sent with no chat goes to, shared with the composer. */
  chat: NewChat
}

/**
 * "New chat", one at a time: the chat it opens is shown (`onOpened`) once main has made it, and a prompt typed before
 * then (Ctrl+N and straight on, over a slow bridge) goes there, not to the chat still on screen.
 */
export function useNewChat(current: string | undefined, onOpened: (sessionId: string) => void): NewChatControl {
  const { api, db, notices } = useParley()
  const activity = useActivity()
  const chat = useMemo(() => new NewChat(api), [api])
  const [coming, setComing] = useState(false)
  const opening = useRef(false)
  const open = useCallback(() => {
    if (opening.current) return
    opening.current = true
    const deps = {
      activity,
      countMessages: (id: string) => messageCount(db, id),
      create: () => api.createSession({}).then((session) => session.id)
    }
    const made = chatForNewChat(deps, current)
    chat.expect(made)
    setComing(true)
    made
      .then(onOpened, (error: unknown) => notices.show(actionFailedNotice('Parley could not start a new chat', error)))
      .finally(() => {
        opening.current = false
        setComing(false)
      })
  }, [api, db, notices, activity, current, chat, onOpened])
  return { open, coming, chat }
}
