import { errorText } from '../notices/error-text'
import type { Notice, Notices } from '../notices/notices'
import { restoreCount, type RestoreProgress, type RestoreState } from './restore-progress'

export const restoringNoticeId = 'restoring'

/** The banner while the rest of the chats are copied back: what works now, and how far the copy is. */
export function restoringNotice(state: RestoreState | undefined): Notice {
  return {
    id: restoringNoticeId,
    tone: 'info',
    text: 'Restoring your chats: the newest are here to read. Sending a prompt and other changes wait until every chat is back.',
    aside: state ? restoreCount(state.progress, state.secondsLeft) : undefined,
    dismissible: false
  }
}

/** What a change asked for meanwhile is answered (under the composer, or in a banner): nothing was sent. */
export function restoringRefusal(state: RestoreState | undefined): string {
  const far = state ? ` (${restoreCount(state.progress, state.secondsLeft)})` : ''
  return `Your chats are still being restored${far}: this can be done once every chat is back.`
}

const failedRefusal = 'Parley could not finish restoring your chats: reload the window to try again.'

/** The banner when the copy stopped short: the rows so far stay, and the next load copies again from the start. */
export function restoreFailedNotice(error: unknown, reload: () => void): Notice {
  return {
    id: restoringNoticeId,
    tone: 'error',
    text: 'Parley could not finish restoring your chats. Nothing is lost: Parley keeps every chat on this computer, and a reload copies them again.',
    detail: errorText(error),
    dismissible: false,
    action: { label: 'Reload', testId: 'restore-reload', run: reload }
  }
}

/**
 * A restore that goes on while the window already shows its newest chats (`rebuildHistory`'s `onReadable`): its
 * banner follows the progress, and `blocked` says why a change of the history waits (`guardWhileRestoring`), until the
 * copy is done. A copy that fails keeps changes refused: the window's history is partial until a reload copies it again.
 */
export class BackgroundRestore {
  private phase: 'copying' | 'done' | 'failed' = 'copying'
  private readonly stopFollowing: () => void

  constructor(
    private readonly progress: RestoreProgress,
    private readonly notices: Notices,
    private readonly reload: () => void
  ) {
    const show = (): void => {
      if (this.phase === 'copying') notices.show(restoringNotice(progress.getSnapshot()))
    }
    this.stopFollowing = progress.subscribe(show)
    show()
  }

  /** Why a change of the history waits now, or undefined once every chat is back. */
  readonly blocked = (): string | undefined => {
    if (this.phase === 'copying') return restoringRefusal(this.progress.getSnapshot())
    return this.phase === 'failed' ? failedRefusal : undefined
  }

  finished(): void {
    this.phase = 'done'
    this.stopFollowing()
    this.notices.dismiss(restoringNoticeId)
  }

  failed(error: unknown): void {
    this.phase = 'failed'
    this.stopFollowing()
    this.notices.show(restoreFailedNotice(error, this.reload))
  }
}
