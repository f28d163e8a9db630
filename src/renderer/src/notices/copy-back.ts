import type { ImportResult } from '../../../shared'
import type { Notice } from './notices'

export const copyBackNoticeId = 'copy-back'

/** Where a window is in giving main back the chats its replaced message store lost (`db/copy-back.ts`). */
export type CopyBackState =
  | { phase: 'sending'; done: number; total: number }
  | { phase: 'done'; result: ImportResult }
  | { phase: 'failed' }

const plural = (count: number, one: string): string => `${count.toLocaleString('en')} ${count === 1 ? one : `${one}s`}`

/** The banner of a copy back made while the window was open (main started again after finding its store damaged). */
export function copyBackNotice(state: CopyBackState): Notice {
  const notice = (tone: Notice['tone'], text: string, dismissible: boolean): Notice => ({ id: copyBackNoticeId, tone, text, dismissible })
  switch (state.phase) {
    case 'sending':
      return notice('info', `Giving Parley back its lost messages from this window’s copy: ${state.done.toLocaleString('en')} of ${plural(state.total, 'chat')}…`, false)
    case 'done': {
      const { imported, messages } = state.result
      return messages > 0 || imported > 0
        ? notice('info', `Parley has its chats again: ${plural(messages, 'message')} put back from this window’s copy${imported > 0 ? `, in ${plural(imported, 'chat')} it had lost` : ''}.`, true)
        : notice('info', 'Parley’s message store already had everything this window holds.', true)
    }
    case 'failed':
      return notice('error', 'Parley could not take back this window’s copy of your chats. It asks again at its next start; nothing in this window changed.', true)
  }
}
