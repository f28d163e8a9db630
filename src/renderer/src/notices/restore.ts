import type { RestoreProgress } from '../db/rebuild'
import { errorText } from './error-text'
import type { Notice, Notices } from './notices'

export const restoreNoticeId = 'restore'

/** While the window rebuilds its history from main: how many chats are back. */
export function restoringNotice(progress: RestoreProgress): Notice {
  return {
    id: restoreNoticeId,
    tone: 'warning',
    text: `Restoring your chats from Parley: ${progress.done} of ${progress.total}…`,
    dismissible: false
  }
}

/** A page of the rebuild failed: main still has every chat, and the next start tries again. */
export function restoreFailedNotice(error: unknown): Notice {
  const said = errorText(error).replace(/[.!?]+$/, '')
  return {
    id: restoreNoticeId,
    tone: 'error',
    text: `Parley could not restore your chats to this window: ${said}. Nothing is lost: Parley still has them all, and tries again the next time this window opens.`,
    dismissible: true
  }
}

/**
 * Runs a rebuild with its banners: progress as pages arrive, gone when it is done, the error if it fails. Never
 * rejects: the window goes on with what it has.
 */
export async function rebuildWithNotices(
  rebuild: (onProgress: (progress: RestoreProgress) => void) => Promise<unknown>,
  notices: Notices
): Promise<void> {
  try {
    await rebuild((progress) => notices.show(restoringNotice(progress)))
    notices.dismiss(restoreNoticeId)
  } catch (error) {
    notices.show(restoreFailedNotice(error))
  }
}
