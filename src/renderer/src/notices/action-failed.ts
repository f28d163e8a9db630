import { errorText } from './error-text'
import type { Notice } from './notices'

export const actionNoticeId = 'action'

/** The banner for something the person asked for that did not happen: what it was, then why. */
export function actionFailedNotice(what: string, error: unknown): Notice {
  return { id: actionNoticeId, tone: 'error', text: `${what}: ${errorText(error)}`, dismissible: true }
}
