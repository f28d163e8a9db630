/** What a request to close Settings (×, Close, Esc, a click outside) does. */
export type CloseAction = 'close' | 'ask' | 'keep-editing'

/**
 * Closing never drops unsaved edits without asking: with edits it asks "Discard unsaved changes?"; while that is
 * asked, Esc answers "Keep editing".
 */
export function closeAction(state: { dirty: boolean; asking: boolean }, how: 'button' | 'escape'): CloseAction {
  if (state.asking) return how === 'escape' ? 'keep-editing' : 'ask'
  return state.dirty ? 'ask' : 'close'
}
