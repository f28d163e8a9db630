import { useEffect, useRef, useState, type RefObject } from 'react'
import { focusComposer } from '../composer/focus-composer'
import { nextTabStop, tabStops } from './tab-stops'

/**
 * A modal dialog (Settings, the command palette, the shortcuts sheet, search) keeps the keyboard while it is open:
 * Tab and Shift+Tab go round its own controls only, from wherever the focus is (even the page behind, or nowhere), and
 * Esc asks it to close (`onEscape`) unless a control inside it handled Esc already. When it closes, the focus goes
 * back where it was when it opened, or to the composer when that is gone; unless something else took the focus as it
 * closed (a command run from the palette that opens its own field).
 */
export function useModalFocus(dialog: RefObject<HTMLElement | null>, onEscape: () => void): void {
  // Read in the dialog's first render: its own effects move the focus into it afterwards.
  const [opener] = useState(() => document.activeElement)
  const latestEscape = useRef(onEscape)
  useEffect(() => {
    latestEscape.current = onEscape
  })

  useEffect(() => {
    const node = dialog.current
    if (!node) return
    const doc = node.ownerDocument
    const view = doc.defaultView ?? window
    const onTab = (event: KeyboardEvent): void => {
      if (event.key !== 'Tab' || event.ctrlKey || event.altKey || event.metaKey) return
      event.preventDefault()
      nextTabStop(tabStops(node), doc.activeElement, event.shiftKey ? -1 : 1)?.focus()
    }
    // After the dialog's own handlers (the palette's input closes on Esc itself), and for Esc pressed anywhere.
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      event.preventDefault()
      latestEscape.current()
    }
    view.addEventListener('keydown', onTab, true)
    view.addEventListener('keydown', onKeyDown)
    return () => {
      view.removeEventListener('keydown', onTab, true)
      view.removeEventListener('keydown', onKeyDown)
      const now = doc.activeElement
      if (now && now !== doc.body && !node.contains(now)) return
      if (opener instanceof HTMLElement && opener !== doc.body && opener.isConnected) {
        opener.focus()
        if (doc.activeElement === opener) return
      }
      focusComposer(doc)
    }
  }, [dialog, opener])
}
