import { useEffect } from 'react'
import { useMessageTarget, useOpenMessage, type MessageTargets } from '../chat/use-message-target'
import { useOpenRequest } from '../parley-context'

/**
 * A chat asked for from elsewhere is shown: a search result or a link to a message (its chat opens, scrolled to it),
 * or main (a notification was clicked, the tray made a chat). Gives the message asked for, and how to ask for one.
 */
export function useChatAsked(setSelected: (sessionId: string) => void): MessageTargets {
  const openRequest = useOpenRequest()
  // A search result or a link to a message: its chat opens, scrolled to it.
  const target = useMessageTarget()
  const openMessage = useOpenMessage()
  useEffect(() => {
    if (target) setSelected(target.sessionId)
  }, [target, setSelected])

  // Main asked to show a chat (a notification was clicked, the tray made a chat).
  useEffect(() => {
    if (openRequest) setSelected(openRequest.sessionId)
  }, [openRequest, setSelected])
  return { target, openMessage }
}
