import { textsOf, type Message } from '../../../shared'

/** Characters a line of a message holds, at the narrowest the reading column is drawn (roughly). */
export const lineChars = 80

/** Whether a UTF-16 code is white space as `String.prototype.trim` takes it. */
function isSpace(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  )
}

/**
 * Lines a text fills (roughly): each line counted by its length, blank ones left out. Read in place, without a string
 * made per line: a chat of 200 long answers is 2.8 million characters read in the task that opens it, and splitting
 * them cost that task 5–11 ms and the collection of the strings after it 10–30 ms more.
 */
export function writtenLines(text: string): number {
  let lines = 0
  let start = 0
  while (start <= text.length) {
    const newline = text.indexOf('\n', start)
    const end = newline < 0 ? text.length : newline
    let from = start
    let to = end
    while (from < to && isSpace(text.charCodeAt(from))) from += 1
    while (to > from && isSpace(text.charCodeAt(to - 1))) to -= 1
    lines += Math.ceil((to - from) / lineChars)
    start = end + 1
  }
  return lines
}

/** How many paragraph breaks (`\n\n`, not overlapping) a text has, read in place. */
export function paragraphGaps(text: string): number {
  let gaps = 0
  for (let at = text.indexOf('\n\n'); at >= 0; at = text.indexOf('\n\n', at + 2)) gaps += 1
  return gaps
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
  const gaps = paragraphGaps(text)
  const around = message.role === 'user' ? promptPx : answerPx
  const extras = (reasoning === '' ? 0 : reasoningPx) + (message.attachments?.length ?? 0) * attachmentPx
  return Math.round(around + extras + (Math.max(1, writtenLines(text)) + gaps / 2) * linePx)
}
