import { focusWhenShown } from '../ui/focus-when-shown'

/**
 * Gives the focus back to the composer, for a part of the window that closes or goes while it holds the focus (an
 * edited prompt saved or cancelled, the last queued prompt removed): the next thing typed is a prompt, not lost on the
 * page. The composer's box is found as the window's shortcuts know it (`keyPlace`).
 */
export function focusComposer(doc: Document): void {
  const input = doc.querySelector<HTMLTextAreaElement>('textarea[data-testid="composer-input"]')
  if (input) focusWhenShown(input)
}
