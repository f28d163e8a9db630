/** The parts of a keyboard event the shortcuts look at, so they can be decided (and tested) without a DOM. */
export interface KeyPress {
  key: string
  shiftKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  /** True while an input method is composing: its Enter confirms the composition, it doesn't send. */
  isComposing: boolean
}

export type ComposerAction = 'send' | 'stop' | 'none'

/** Enter sends, Shift+Enter is a new line (the textarea's own behaviour), Esc stops the answer. */
export function composerKeyAction(press: KeyPress): ComposerAction {
  if (press.isComposing) return 'none'
  if (press.key === 'Enter' && !press.shiftKey && !press.altKey) return 'send'
  if (press.key === 'Escape' && !press.shiftKey && !press.ctrlKey && !press.metaKey && !press.altKey) return 'stop'
  return 'none'
}
