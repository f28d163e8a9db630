import { messageText, type Message } from '../../../../shared'
import { actionFailedNotice } from '../../notices/action-failed'
import type { ParleyServices } from '../../parley-context'
import { retryRun } from '../retry-run'

type Services = Pick<ParleyServices, 'api' | 'activity' | 'db' | 'notices'>

/** Copies a message as Markdown (its text as written); a refused clipboard says so. */
export function copyMessage(services: Pick<Services, 'notices'>, message: Message): Promise<void> {
  return navigator.clipboard
    .writeText(messageText(message))
    .catch((error: unknown) => services.notices.show(actionFailedNotice('Parley could not copy this message', error)))
}

/** H3: the answer's prompt answered again, as a new answer beside it; a refusal says why. */
export async function regenerateAnswer(services: Services, answer: Message): Promise<void> {
  const outcome = await retryRun(services, answer)
  if (!outcome.ok) services.notices.show(actionFailedNotice('Parley could not regenerate this answer', outcome.error))
}
