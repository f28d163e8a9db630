import { useEffect, useState } from 'react'
import { useCommand } from '../commands/use-commands'

/** Below this width the chats collapse by themselves, and open over the chat rather than beside it. */
export const narrowQuery = '(max-width: 699px)'

export interface SidebarState {
  shown: boolean
  /** The window is narrow: the open sidebar covers the chat, and picking a chat closes it. */
  narrow: boolean
  toggle: () => void
  /** Opens the chats (asking for the filter box does). */
  show: () => void
  /** A chat was picked: on a narrow window, the sidebar makes way for it. */
  picked: () => void
}

/** Whether the chats are shown: hidden by default below 700 px, shown above; the button and Ctrl+B toggle it. */
export function useSidebar(): SidebarState {
  const [narrow, setNarrow] = useState(() => window.matchMedia(narrowQuery).matches)
  const [shown, setShown] = useState(() => !narrow)
  useEffect(() => {
    const media = window.matchMedia(narrowQuery)
    // Crossing the line resets to that width's default: narrowing hides the chats, widening brings them back.
    const onChange = (): void => {
      setNarrow(media.matches)
      setShown(!media.matches)
    }
    media.addEventListener('change', onChange)
    return () => media.removeEventListener('change', onChange)
  }, [])
  const toggle = (): void => setShown((before) => !before)
  useCommand('toggle-sidebar', toggle)
  return { shown, narrow, toggle, show: () => setShown(true), picked: () => narrow && setShown(false) }
}
