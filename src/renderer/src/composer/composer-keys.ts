import type { KeyboardEvent } from 'react'
import { composerKeyAction } from '../keys'

export interface ComposerKeyActions {
  send: () => void
  /** Stops the answer; undefined while the chat answers nothing, so Esc is left to the window (it closes panels). */
  stop: (() => void) | undefined
}

/** The composer box's own keys (keys.ts decides which): Enter sends, Esc stops an answer. */
export function composerKeys(actions: ComposerKeyActions): (event: KeyboardEvent<HTMLTextAreaElement>) => void {
  return (event) => {
    const action = composerKeyAction({
      key: event.key,
      shiftKey: event.shiftKey,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      altKey: event.altKey,
      isComposing: event.nativeEvent.isComposing
    })
    if (action === 'send') {
      event.preventDefault()
      actions.send()
    } else if (action === 'stop' && actions.stop) {
      // Handled here, so the window's own Esc handler (which closes panels) leaves it alone.
      event.preventDefault()
      actions.stop()
    }
  }
}
