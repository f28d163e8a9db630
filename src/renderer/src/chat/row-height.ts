import { textsOf, type Message } from '../../../shared'

/** Characters a line of a message holds, at the narrowest the reading column is drawn (roughly). */
export const lineChars = 80

/** Lines a text fills (roughly): each line counted by its length, blank ones left out. */
export function writtenLines(text: string): number {
  let lines = 0
  for (const line of text.split('\n')) lines += Math.ceil(line.trim().length / lineChars)
  return lines
}

/** A line's height, and what a row adds around its text (a prompt's bubble; an answer's footer), in px, roughly. */
const linePx = 24
const promptPx = 25
const answerPx = 46
const reasoningPx = 32
const attachmentPx = 160

/**
 * About how tall a message's row is, from its text alone (measured: a one-line prompt 49 px, a one-line answer 70, the
 * bench's 14,000-character answer 4,267 px; this says 5,300). Given to the list before it has measured anything:
 * Virtuoso otherwise takes the first row it draws as the size of every row, and a chat of long answers opened on
 * a one-line prompt drew 22 rows (154,000 characters laid out) in the task that showed it, to keep one.
 */
export function estimatedRowHeight(message: Pick<Message, 'role' | 'parts' | 'attachments'>): number {
  const { text, reasoning } = textsOf(message)
  const gaps = text.split('\n\n').length - 1
  const around = message.role === 'user' ? promptPx : answerPx
  const extras = (reasoning === '' ? 0 : reasoningPx) + (message.attachments?.length ?? 0) * attachmentPx
  return Math.round(around + extras + (Math.max(1, writtenLines(text)) + gaps / 2) * linePx)
}
