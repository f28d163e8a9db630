import type { Notices } from '../notices/notices'
import { undoMs, type PendingDelete, type PendingDeletes } from './pending-deletes'

/** The banner of one pending deletion. */
export function undoNoticeId(entry: PendingDelete): string {
  return `undo-delete-${entry.id}`
}

/**
 * Deletes with Undo: hidden at once, a banner "… deleted. Undo" for the Undo time, then `send` (the call to main).
 * Undo brings it back and sends nothing.
 */
export function deleteWithUndo(
  services: { deletes: PendingDeletes; notices: Notices },
  entry: PendingDelete,
  send: () => Promise<unknown>
): void {
  const { deletes, notices } = services
  const noticeId = undoNoticeId(entry)
  deletes.schedule(entry, async () => {
    notices.dismiss(noticeId)
    await send()
  })
  notices.show({
    id: noticeId,
    tone: 'info',
    text: entry.kind === 'chat' ? `Deleted “${entry.title}”.` : 'Deleted the message and the replies below it.',
    dismissible: false,
    action: {
      label: `Undo (${undoMs / 1000} s)`,
      testId: 'undo-delete',
      run: () => {
        deletes.undo(entry.id)
        notices.dismiss(noticeId)
      }
    }
  })
}
