import { useState } from 'react'
import { useCommand } from '../commands/use-commands'
import type { MessageRow } from '../db/schema'
import { useParley } from '../parley-context'
import { copyMessage, regenerateAnswer } from './actions/message-commands'
import type { BranchItem } from './branch'

/** Which prompt the keyboard asked to edit, and a count so that asking twice opens it again. */
export interface EditRequest {
  messageId: string
  count: number
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
 * Each acts on the branch shown (H3), and is only offered while there is something to act on.
 */
export function useChatCommands(branch: readonly BranchItem<MessageRow>[]): EditRequest | undefined {
  const services = useParley()
  const [editRequest, setEditRequest] = useState<EditRequest>()
  const answer = lastOf(branch, 'assistant')
  const prompt = lastOf(branch, 'user')
  useCommand('copy-last-answer', () => answer && void copyMessage(services, answer), answer !== undefined)
  useCommand(
    'regenerate-last-answer',
    () => answer && void regenerateAnswer(services, answer),
    answer !== undefined && answer.status !== 'streaming'
  )
  useCommand(
    'edit-last-prompt',
    () => prompt && setEditRequest((before) => ({ messageId: prompt.id, count: (before?.count ?? 0) + 1 })),
    prompt !== undefined
  )
  return editRequest
}
