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
  /** The server's own words, smaller, after the text: "The server answered 503: Loading model." (C6). */
  detail?: string
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
 * The server's own words in main's C6 sentence ("The model server is still loading the model (503): Loading model."),
 * as a detail after the banner's one sentence: "The server answered 503: Loading model."
 */
export function loadingDetail(detail: string | undefined): string | undefined {
  const text = detail?.trim()
  if (!text) return undefined
  const said = /\((\d{3})\)(?::\s*(.*?))?\.?$/.exec(text)
  if (!said) return text
  const words = said[2]?.trim()
  return words ? `The server answered ${said[1]}: ${words}.` : `The server answered ${said[1]}.`
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

  if (waitReason(snapshot) === 'loading') return loadingView(down, waiting, now)
  const lead =
    waiting > 0 ? `Offline: ${prompts(waiting)} waiting.` : 'Offline: prompts you send wait until the model server answers.'
  const parts = [lead]
  for (const provider of down) parts.push(reason(provider))
  const countdown = countdownOf(down, now)
  if (countdown) return { text: parts.join(' '), countdown, countingDown: true }
  if (down.length === 0) parts.push('They run as soon as the model server answers.')
  return { text: parts.join(' '), countingDown: false }
}

/**
 * C6: one sentence (the waiting answer in the chat says only "Waiting for the model to load…"), and the server's own
 * words as a detail, once.
 */
function loadingView(down: readonly ProviderState[], waiting: number, now: number): OfflineView {
  const text =
    waiting === 0
      ? 'Loading the model: prompts you send wait, and run by themselves when it is ready.'
      : waiting === 1
        ? 'Loading the model: 1 prompt waits, and runs by itself when the model is ready.'
        : `Loading the model: ${prompts(waiting)} wait, and run by themselves when the model is ready.`
  const details = [...new Set(down.map((provider) => loadingDetail(provider.detail)).filter((d): d is string => d !== undefined))]
  const countdown = countdownOf(down, now)
  return {
    text,
    ...(details.length > 0 ? { detail: details.join(' ') } : {}),
    ...(countdown ? { countdown, countingDown: true } : { countingDown: false })
  }
}

/** "Retrying in 4 s.", to the soonest planned probe; undefined when none is planned. */
function countdownOf(down: readonly ProviderState[], now: number): string | undefined {
  const next = down.map((provider) => provider.retryAt).filter((at): at is number => at !== undefined)
  if (next.length === 0) return undefined
  const seconds = secondsUntil(Math.min(...next), now)
  return seconds > 0 ? `Retrying in ${seconds} s.` : 'Retrying now…'
}

/** The banner itself, with its "Try now" button (which probes at once instead of waiting out the backoff). */
export function offlineNotice(view: OfflineView, tryNow: () => void): Notice {
  return {
    id: offlineNoticeId,
    tone: 'warning',
    text: view.text,
    aside: view.countdown,
    detail: view.detail,
    dismissible: false,
    action: { label: 'Try now', testId: 'probe-now', run: tryNow }
  }
}
