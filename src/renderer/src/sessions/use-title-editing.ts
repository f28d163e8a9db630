import { useState, type RefObject } from 'react'
import { useFocusBack } from '../ui/use-focus-back'

export interface TitleEditing {
  editing: boolean
  start: () => void
  /** The field goes; ended with Enter or Esc (`byKey`), the focus goes back to `back` as it is drawn again. */
  close: (byKey: boolean) => void
}

/**
 * Whether a chat's title is being edited in place (a sidebar row, the chat's header), and where the focus goes after:
 * back to `back` (the row, the title) when Enter or Esc ended it; a click elsewhere ends it too, and the focus stays
 * where it went.
 */
export function useTitleEditing(back: RefObject<HTMLElement | null>): TitleEditing {
  const [editing, setEditing] = useState(false)
  const focusBack = useFocusBack(back)
  return {
    editing,
    start: () => setEditing(true),
    close: (byKey) => {
      if (byKey) focusBack()
      setEditing(false)
    }
  }
}
