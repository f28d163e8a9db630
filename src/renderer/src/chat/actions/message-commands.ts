import { messageText, type Message } from '../../../../shared'
import { actionFailedNotice, actionNoticeId } from '../../notices/action-failed'
import { showBriefly } from '../../notices/brief-notice'
import type { ParleyServices } from '../../parley-context'
import { retryRun } from '../retry-run'

type Services = Pick<ParleyServices, 'api' | 'activity' | 'db' | 'notices'>

/** Copies a message as Markdown (its text as written); a refused clipboard says so. True once it is copied. */
export function copyMessage(
  services: Pick<Services, 'notices'>,
  message: Message,
  refusal = 'Parley could not copy this message'
): Promise<boolean> {
  return navigator.clipboard.writeText(messageText(message)).then(
    () => true,
    (error: unknown) => {
      services.notices.show(actionFailedNotice(refusal, error))
      return false
    }
  )
}

/** The banner that says what Ctrl+Shift+C did. */
export const copyAnswerNoticeId = 'copy-last-answer'

/**
 * Ctrl+Shift+C: copies the last answer of the branch shown, and says so in a brief banner (a screen reader hears it):
 * copied, still being written, or nothing to copy. A refused clipboard says why, and stays until dismissed.
 */
export async function copyLastAnswer(services: Pick<Services, 'notices'>, answer: Message | undefined): Promise<void> {
  const { notices } = services
  const refusal = 'Parley could not copy the last answer'
  const say = (text: string): void => showBriefly(notices, { id: copyAnswerNoticeId, tone: 'info', text })
  if (!answer) {
    say('This chat has no answer to copy yet.')
  } else if (messageText(answer).trim() === '') {
    say('The last answer has no text to copy.')
  } else if (await copyMessage(services, answer, refusal)) {
    // A refusal from an earlier try would contradict it.
    if (notices.getSnapshot().some((notice) => notice.id === actionNoticeId && notice.text.startsWith(refusal))) notices.dismiss(actionNoticeId)
    say(answer.status === 'streaming' ? 'Copied the answer so far (it is still being written).' : 'Copied the last answer.')
  } else {
    // The refusal's banner says what happened; an earlier "Copied" would contradict it.
    notices.dismiss(copyAnswerNoticeId)
  }
}

/** H3: the answer's prompt answered again, as a new answer beside it; a refusal says why. */
export async function regenerateAnswer(services: Services, answer: Message): Promise<void> {
  const outcome = await retryRun(services, answer)
  if (!outcome.ok) services.notices.show(actionFailedNotice('Parley could not regenerate this answer', outcome.error))
}
