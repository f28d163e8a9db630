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

export type AppShortcut = 'new-session' | 'none'

/** Ctrl+N (Cmd+N on a Mac) starts a new chat anywhere in the window. */
export function appShortcut(press: KeyPress): AppShortcut {
  if (press.isComposing || press.shiftKey || press.altKey) return 'none'
  if ((press.ctrlKey || press.metaKey) && press.key.toLowerCase() === 'n') return 'new-session'
  return 'none'
}
