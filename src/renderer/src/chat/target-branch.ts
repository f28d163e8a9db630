import { isParleyError, type ParleyApi } from '../../../shared'
import { actionFailedNotice } from '../notices/action-failed'
import type { Notice } from '../notices/notices'

export const targetNoticeId = 'message-target'

/**
 * Makes the branch through a message opened at (a search result, a link) the chat's current one (H3), so that what
 * is sent next follows the branch shown, not one out of sight. Nothing changes when it is current already. While the
 * chat answers main refuses a switch: the message is still shown on its branch, and the banner says where the next
 * prompt goes. Answers the chat's leaf after it, or undefined when the branch could not be switched.
 */
export async function switchToTargetBranch(
  api: Pick<ParleyApi, 'switchBranch'>,
  show: (notice: Notice) => void,
  sessionId: string,
  messageId: string
): Promise<string | undefined> {
  try {
    return await api.switchBranch(sessionId, messageId)
  } catch (error) {
    if (isParleyError(error) && error.code === 'SessionBusy') {
      const text =
        'That message is on another branch. This chat is answering, so what you send next follows the branch being answered; switch to this one with its ‹ › once the answer is done.'
      show({ id: targetNoticeId, tone: 'info', text, dismissible: true })
    } else show(actionFailedNotice('Parley could not switch to that message’s branch', error))
    return undefined
  }
}
