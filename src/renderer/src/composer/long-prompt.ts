import { limits, thousands } from '../../../shared'

/** The name a prompt too long to go as text takes when it goes as a file. */
export const pastedTextName = 'pasted text.txt'

/**
 * How far over main's limit the prompt is, or null when it is within it: main takes at most `limits.promptChars`
 * characters of prompt (counted as the bridge's schema counts them, UTF-16 code units). The first sentence of the
 * composer's notice and of the edit box's (chat/actions/EditPrompt.tsx), each saying next what can be done there.
 */
export function overLimitText(prompt: string): string | null {
  if (prompt.length <= limits.promptChars) return null
  return `This prompt is ${thousands(prompt.length)} characters; at most ${thousands(limits.promptChars)} go as text.`
}

/** Why the prompt can't go as text, or null when it can. Said at once, under the box, and again on Send. */
export function longPromptText(prompt: string): string | null {
  const over = overLimitText(prompt)
  return over === null ? null : `${over} Send it as a file instead?`
}

/** The prompt as a text file, to attach as a dropped or chosen file is (main stores it, the model gets it inlined). */
export function promptAsFile(prompt: string): File {
  return new File([prompt], pastedTextName, { type: 'text/plain' })
}
