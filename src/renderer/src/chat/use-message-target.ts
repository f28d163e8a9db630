import { createContext, useCallback, useContext, useEffect, useState } from 'react'
import { linkedMessage, nextTarget, type MessageTarget } from './message-target'

/** Opens a chat at one of its messages: what search calls when a result is chosen. */
export type OpenMessage = (sessionId: string, messageId: string) => void

export interface MessageTargets {
  /** The message the open chat should show, the latest asked for. */
  target: MessageTarget | undefined
  openMessage: OpenMessage
}

export const MessageTargetContext = createContext<MessageTargets>({ target: undefined, openMessage: () => undefined })

/** `openMessage`, for any component inside App (the search dialog): App selects the chat, ChatView scrolls to it. */
export function useOpenMessage(): OpenMessage {
  return useContext(MessageTargetContext).openMessage
}

/** The message the open chat should show (App passes it to ChatView and selects its chat). */
export function useMessageTarget(): MessageTarget | undefined {
  return useContext(MessageTargetContext).target
}

/**
 * The state behind the context: set by `openMessage` and by a link to a message in the window's address
 * (`#/chat/<sessionId>/message/<messageId>`), on loading and whenever the address changes. A link taken is cleared
 * from the address, so following it again opens the message again.
 */
export function useMessageTargets(): MessageTargets {
  const [target, setTarget] = useState<MessageTarget>()
  const openMessage = useCallback<OpenMessage>((sessionId, messageId) => setTarget((previous) => nextTarget(previous, sessionId, messageId)), [])
  useEffect(() => {
    const follow = (): void => {
      const linked = linkedMessage(window.location.hash)
      if (!linked) return
      window.history.replaceState(null, '', window.location.pathname + window.location.search)
      openMessage(linked.sessionId, linked.messageId)
    }
    follow()
    window.addEventListener('hashchange', follow)
    return () => window.removeEventListener('hashchange', follow)
  }, [openMessage])
  return { target, openMessage }
}
