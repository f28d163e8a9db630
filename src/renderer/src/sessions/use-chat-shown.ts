import { useEffect } from 'react'
import { markSeen } from '../db/unseen-writes'
import type { SessionRow } from '../db/schema'
import { preferenceStorage } from '../look/theme'
import { useAttention, useParley } from '../parley-context'
import { keepLastOpenChat } from './last-open-chat'
import { isUnseen } from './unseen'

/**
 * What showing a chat means beyond drawing it: attention knows it is the one on screen, the next start opens it, and
 * its unseen mark goes once it is looked at (on opening it, or on coming back to the window).
 */
export function useChatShown(sessionId: string | undefined, current: SessionRow | undefined, reportFailure: (what: string) => (error: unknown) => void): void {
  const { db, attention } = useParley()
  const { windowActive } = useAttention()
  useEffect(() => {
    attention.show(sessionId)
  }, [attention, sessionId])

  // The next start opens the chat shown now.
  useEffect(() => {
    if (sessionId) keepLastOpenChat(preferenceStorage(), sessionId)
  }, [sessionId])

  // The open chat, looked at: its unseen mark goes (on opening it, or on coming back to the window).
  const unseenInView = current !== undefined && windowActive && isUnseen(current)
  useEffect(() => {
    if (unseenInView && sessionId) markSeen(db, sessionId).catch(reportFailure('Parley could not mark the chat as read'))
  }, [db, sessionId, unseenInView, reportFailure])
}
