import { waitingPromptCount, type ActivitySnapshot, type ProviderState } from '../activity/session-activity'
import { secondsUntil } from '../activity/countdown'
import { waitReason } from '../activity/wait-reason'
import type { Notice } from './notices'

export const offlineNoticeId = 'offline'

/**
 * What the offline banner says, and whether it counts down (then it is redrawn as the seconds pass). The countdown
 * is apart from the text: it changes by itself each second, and only the text is news a screen reader reads out.
 */
export interface OfflineView {
  text: string
  /** "Retrying in 4 s.", while main has a next probe planned. */
  countdown?: string
  countingDown: boolean
}

function prompts(count: number): string {
  return count === 1 ? '1 prompt' : `${count} prompts`
}

/** A provider's own sentence, with a full stop, or a plain one when main gave none. */
function reason(provider: ProviderState): string {
  const detail = provider.detail?.trim()
  if (!detail) return `Parley can't reach the model provider “${provider.providerId}”.`
  return /[.!?]$/.test(detail) ? detail : `${detail}.`
}

/**
 * The offline banner (rule C3), shown while a provider can't be reached or any prompt waits for one: how many
 * prompts wait, across every chat, why, and when main tries again. None while everything is reachable and nothing
 * waits. When the provider answered that it is loading its model (C6), it says so instead of "Offline".
 */
export function offlineView(snapshot: ActivitySnapshot, now: number): OfflineView | undefined {
  const down = [...snapshot.providers.values()].filter((provider) => provider.reachable === false)
  const waiting = waitingPromptCount(snapshot)
  if (down.length === 0 && waiting === 0) return undefined

  const loading = waitReason(snapshot) === 'loading'
  const lead = loading
    ? waiting > 0
      ? `Loading the model: ${prompts(waiting)} waiting.`
      : 'Loading the model: prompts you send wait until it is ready.'
    : waiting > 0
      ? `Offline: ${prompts(waiting)} waiting.`
      : 'Offline: prompts you send wait until the model server answers.'
  const parts = [lead]
  for (const provider of down) parts.push(reason(provider))
  const next = down.map((provider) => provider.retryAt).filter((at): at is number => at !== undefined)
  if (next.length > 0) {
    const seconds = secondsUntil(Math.min(...next), now)
    return { text: parts.join(' '), countdown: seconds > 0 ? `Retrying in ${seconds} s.` : 'Retrying now…', countingDown: true }
  }
  if (down.length === 0) parts.push('They run as soon as the model server answers.')
  return { text: parts.join(' '), countingDown: false }
}

/** The banner itself, with its "Try now" button (which probes at once instead of waiting out the backoff). */
export function offlineNotice(view: OfflineView, tryNow: () => void): Notice {
  return {
    id: offlineNoticeId,
    tone: 'warning',
    text: view.text,
    aside: view.countdown,
    dismissible: false,
    action: { label: 'Try now', testId: 'probe-now', run: tryNow }
  }
}
