import type { Message, ProviderTrouble } from '../../../shared'
import { secondsUntil } from '../activity/countdown'
import type { RunLoading, RunRetry } from '../activity/session-activity'

export type RunTone = 'live' | 'done' | 'warning' | 'stopped' | 'error'

/** What an assistant bubble says about its run. */
export interface RunStateView {
  label: string
  tone: RunTone
}

/** What an answer that finished without a word says under it: it looked as if nothing had happened. */
export const emptyAnswerNote = 'The model finished without writing anything. Retry, or choose another model for this chat.'

/**
 * The label under an answer, from its status and finish reason (rule B4). `written`: whether it has any text (its
 * reasoning aside); an answer that ended well with none says so.
 */
export function runStateOf(message: Pick<Message, 'status' | 'finishReason'>, written = true): RunStateView {
  if (message.status === 'streaming') return { label: 'Streaming…', tone: 'live' }
  if (isEmptyAnswer(message, written)) return { label: 'Empty answer', tone: 'warning' }
  switch (message.finishReason) {
    case 'canceled':
      return { label: 'Stopped', tone: 'stopped' }
    case 'error':
      return { label: 'Failed', tone: 'error' }
    case 'interrupted':
      return { label: 'Interrupted', tone: 'warning' }
    case 'max_tokens':
      return { label: 'Cut off at the length limit', tone: 'warning' }
    case 'content_filter':
      return { label: 'Blocked by the content filter', tone: 'warning' }
    case 'end_turn':
    case 'tool_use':
    case 'unknown':
    case undefined:
      return { label: 'Done', tone: 'done' }
  }
}

/** An answer that ended as a done one does, without a word of text (its reasoning aside). */
export function isEmptyAnswer(message: Pick<Message, 'status' | 'finishReason'>, written: boolean): boolean {
  const reason = message.finishReason
  return message.status !== 'streaming' && !written && (reason === 'end_turn' || reason === 'tool_use' || reason === 'unknown' || reason === undefined)
}

/**
 * The error to show under an answer. Main's sentence, as it is; except that an interrupted answer carries the bare
 * word "interrupted" (rule G2), which says less than the label beside it.
 */
export function errorSentence(message: Pick<Message, 'error' | 'finishReason'>): string | undefined {
  const error = message.error?.trim()
  if (!error) return undefined
  if (message.finishReason === 'interrupted' && error.toLowerCase() === 'interrupted') {
    return 'Parley closed before this answer finished; the text above is what had arrived.'
  }
  return error
}

/**
 * What the answer a busy chat owes says before its first token: waiting for the model; while its server loads the
 * model into memory (Ollama, LM Studio), main's sentence saying so; or, while a 429 or 529 is waited out (C4), when the
 * next try goes (`now` undefined: that it will, without the seconds).
 */
export function awaitedAnswerLabel(retry: RunRetry | undefined, now: number | undefined, loading?: RunLoading): string {
  if (!retry) return loading ? loading.detail : 'Waiting for the model…'
  const why = retry.status === undefined || retry.status === 429 ? 'Rate limited' : 'The server is busy'
  // Without a clock, the sentence that doesn't change as the seconds go (what a screen reader is told).
  if (now === undefined) return `${why}: Parley tries again by itself.`
  const seconds = secondsUntil(retry.retryAt, now)
  return seconds > 0 ? `${why}: retrying in ${seconds} s` : `${why}: trying again…`
}

/**
 * What the answer of a prompt that waits in the chat says (rules C3, C6): waiting for a model server that can't be
 * reached, or for one that is loading its model.
 */
export function waitingAnswerText(reason: ProviderTrouble): { label: string; detail: string | undefined } {
  // C6: the banner says it in one sentence, with the server's words; the answer says only what it waits for.
  return reason === 'loading'
    ? { label: 'Waiting for the model to load…', detail: undefined }
    : { label: 'Waiting for the model…', detail: 'Offline: this prompt runs as soon as the model server answers.' }
}
