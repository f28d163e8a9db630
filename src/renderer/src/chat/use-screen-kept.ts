import { useEffect, useRef, type RefObject } from 'react'
import { streamingTextOf } from '../db/message-parts'
import type { MessageRow } from '../db/schema'
import { preferenceStorage } from '../look/theme'
import { whenIdleAfter } from '../later/when-idle'
import type { BranchItem } from './branch'
import { forgetScreen, keepScreen, screenIn } from './first-screen'
import { markdownCode } from './markdown-code'

const keepAttempts = 10
const keepRetryMs = 500

/**
 * Keeps the chat's last screen of answers (`first-screen.ts`) for the next start: once the window is idle after the
 * list changed at its end (an answer finished, the chat opened), and as the window goes away. Only a live list (its
 * window at the chat's live end), once the markdown stack drew it, and not while its last answer streams (it changes
 * with every commit; a start meanwhile waits for the stack, as the screen kept before ends elsewhere).
 */
export function useScreenKept(frame: RefObject<HTMLElement | null>, sessionId: string, branch: readonly BranchItem<MessageRow>[], live: boolean): void {
  const branchNow = useRef(branch)
  branchNow.current = branch
  const last = branch.at(-1)?.message
  const leafId = last?.id
  // A new row at the end, or its last one finished or changed: the screen to keep changed.
  const lastState = last === undefined ? '' : `${last.status}:${last.seq}`
  const streaming = last?.status === 'streaming'
  useEffect(() => {
    if (!live || leafId === undefined || streaming) return
    /** Whether the screen was taken (and kept, or too large to be), or is not to be kept: nothing to look for again. */
    const keep = (): boolean => {
      const root = frame.current
      if (!root || markdownCode.getSnapshot().kind !== 'loaded') return false
      const texts = new Map(branchNow.current.map((item) => [item.message.id, item.message]))
      const taken = screenIn(root, sessionId, leafId, (id) => {
        const message = texts.get(id)
        return message === undefined ? undefined : streamingTextOf(message).text
      })
      if (taken.kind === 'screen') keepScreen(preferenceStorage(), taken.screen)
      // The screen kept before may be of this very chat and end, scrolled elsewhere: drawn for it, it would lack these.
      if (taken.kind === 'not-kept') forgetScreen(preferenceStorage())
      return taken.kind !== 'not-yet'
    }
    let current = true
    // Its rows may still be coming, or be formatted in the background: looked at again a while later, a few times.
    void (async () => {
      for (let attempt = 0; attempt < keepAttempts && current; attempt++) {
        await whenIdleAfter(attempt === 0 ? 0 : keepRetryMs)
        if (current && keep()) return
      }
    })()
    const keepAsItGoes = (): void => void keep()
    window.addEventListener('pagehide', keepAsItGoes)
    return () => {
      current = false
      window.removeEventListener('pagehide', keepAsItGoes)
    }
  }, [frame, sessionId, leafId, lastState, live, streaming])
}
