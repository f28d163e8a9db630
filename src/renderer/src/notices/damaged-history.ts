import { errorText } from './error-text'
import type { Notice } from './notices'

export const damagedHistoryNoticeId = 'history-damaged'

/** Said once after a history database that failed to open was deleted and rebuilt from main's log. */
export function damagedHistoryNotice(cause: unknown): Notice {
  const said = errorText(cause).replace(/[.!?]+$/, '')
  return {
    id: damagedHistoryNoticeId,
    tone: 'warning',
    text: `This window's copy of your history could not be opened (${said}), so Parley deleted it and restored every chat from the copy it keeps on this computer. Nothing was lost.`,
    dismissible: true
  }
}
