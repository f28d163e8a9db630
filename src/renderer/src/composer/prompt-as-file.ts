import { attachFiles, type AttachDeps } from '../attachments/attach-files'
import { checkAttachable } from '../attachments/attachable'
import type { ChipAction } from '../attachments/chip-list'
import { promptAsFile } from './long-prompt'

export type PromptAsFile = { ok: true; leftOut: string | null } | { ok: false; error: string }

/**
 * A prompt too long to go as text, attached as a text file (pasted text.txt) to a box's chips: the composer's and the
 * edit box's "Attach it as a file". On `ok` the file is on its way and the box is to be cleared; main may still refuse
 * it (a disk full, a folder gone), and then `restore` gets the text back, so nothing is lost. Not `ok`: no room, or
 * over the file limit; nothing was attached and the text stays where it is.
 */
export function attachPromptAsFile(
  deps: { attach: AttachDeps; onPrompt: number; dispatch: (action: ChipAction) => void; restore: (text: string) => void },
  text: string
): PromptAsFile {
  const file = promptAsFile(text)
  const check = checkAttachable(file, deps.onPrompt)
  if (!check.ok) return { ok: false, error: check.message }
  const watched = (action: ChipAction): void => {
    deps.dispatch(action)
    if (action.type === 'refused') deps.restore(text)
  }
  const { leftOut } = attachFiles(deps.attach, [file], deps.onPrompt, watched)
  return { ok: true, leftOut }
}
