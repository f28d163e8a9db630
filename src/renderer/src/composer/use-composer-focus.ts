import { useEffect, type RefObject } from 'react'

/**
 * The composer's box takes the focus whenever a chat is shown. In a task of its own, and without scrolling it into view
 * (it is always in view): a focus brings the page's styles up to date at once and dispatches its events, and at the
 * window's first render that was 8–15 ms of the task that runs every component's effects (traced at 50,000 chats). Not
 * if the focus moved meanwhile: a double click that chose a chat and opened its title for renaming keeps its field.
 */
export function useComposerFocus(sessionId: string | undefined, input: RefObject<HTMLTextAreaElement | null>): void {
  useEffect(() => {
    const focused = document.activeElement
    const focusing = setTimeout(() => {
      if (document.activeElement === focused) input.current?.focus({ preventScroll: true })
    }, 0)
    return () => clearTimeout(focusing)
  }, [sessionId, input])
}
