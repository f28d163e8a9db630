import { useCallback, useState } from 'react'
import { useCommand } from '../commands/use-commands'
import type { MessageRow } from '../db/schema'
import { useParley } from '../parley-context'
import { copyLastAnswer, regenerateAnswer } from './actions/message-commands'
import type { BranchItem } from './branch'

/**
 * The prompt the keyboard asked to edit (Up in the empty composer). The ask is made once and taken once: the bubble it
 * names opens its editor and says so (`taken`), and the ask is gone, so a bubble the list draws again as it scrolls
 * doesn't open an editor that was saved or cancelled, and only the prompt asked for last opens one.
 */
export interface EditRequest {
  /** The prompt asked for and not yet opened, if any. */
  messageId: string | undefined
  /** The bubble of `messageId` opened its editor. */
  taken: (messageId: string) => void
}

/** The newest message of `role` on the branch shown. */
export function lastOf(branch: readonly BranchItem<MessageRow>[], role: MessageRow['role']): MessageRow | undefined {
  for (let at = branch.length - 1; at >= 0; at -= 1) {
    const message = branch[at]?.message
    if (message?.role === role) return message
  }
  return undefined
}

/**
 * The open chat's commands: copy and regenerate its last answer, and edit its last prompt (Up in the empty composer).
 * Each acts on the branch shown (H3), and is only offered while there is something to act on; but for copy, which is
 * always offered in an open chat, so that Ctrl+Shift+C says so when there is nothing to copy rather than doing nothing.
 */
export function useChatCommands(branch: readonly BranchItem<MessageRow>[]): EditRequest {
  const services = useParley()
  const [asked, setAsked] = useState<string>()
  // Only that ask: one made since (another prompt) stays until its own bubble takes it.
  const taken = useCallback((messageId: string) => setAsked((current) => (current === messageId ? undefined : current)), [])
  const answer = lastOf(branch, 'assistant')
  const prompt = lastOf(branch, 'user')
  useCommand('copy-last-answer', () => void copyLastAnswer(services, answer))
  useCommand(
    'regenerate-last-answer',
    () => answer && void regenerateAnswer(services, answer),
    answer !== undefined && answer.status !== 'streaming'
  )
  useCommand(
    'edit-last-prompt',
    () => prompt && setAsked(prompt.id),
    prompt !== undefined
  )
  return { messageId: asked, taken }
}
