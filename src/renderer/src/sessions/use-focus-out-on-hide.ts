import { useLayoutEffect, type RefObject } from 'react'
import { focusComposer } from '../composer/focus-composer'

/**
 * A part of the window hidden while it holds the focus (the sidebar: Ctrl+B, or the window narrowed) gives the focus to
 * the composer, not the page. A layout effect's cleanup runs while the part is still in the page, where the focus can
 * be seen inside it.
 */
export function useFocusOutOnHide(part: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const element = part.current
    return () => {
      if (element?.contains(element.ownerDocument.activeElement)) focusComposer(element.ownerDocument)
    }
  }, [part])
}
