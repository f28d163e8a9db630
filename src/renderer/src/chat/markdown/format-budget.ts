import { shownAttribute } from '../use-list-shown'
import { ANSWER_FORMAT_COST_CHARS, BACKGROUND_FORMAT_CHARS, FORMAT_CHARS_PER_FRAME } from './limits'

/**
 * How many of an answer's blocks to draw formatted now: those already formatted, then new ones while their source
 * fits in one frame's budget, and always at least one. A block already formatted stays formatted (the streaming
 * last block is parsed again as it grows); the blocks after the count are drawn as plain text for now.
 */
export function formattedCount(blockSizes: readonly number[], alreadyFormatted: number, budgetChars = FORMAT_CHARS_PER_FRAME): number {
  let count = Math.min(alreadyFormatted, blockSizes.length)
  let spent = 0
  while (count < blockSizes.length) {
    const size = blockSizes[count] ?? 0
    if (spent > 0 && spent + size > budgetChars) break
    spent += size
    count += 1
  }
  return count
}

/** How long a burst's blocks stay as written after the last burst, before they are formatted (about three frames). */
export const BURST_QUIET_MS = 50

/**
 * Whether a streaming answer's new blocks wait, drawn as written: while text comes faster than a frame formats it (more
 * than `budgetChars` since the last drawing: a provider's burst, a backlog replayed), formatting a budget's worth in
 * each frame only made each frame longer while the burst was still coming in (the page took the rest of it later, and
 * its end reached the screen later). A steady stream, however fast, adds less than that a frame and is formatted as it
 * comes; a burst is formatted once it has been quiet for `quietMs`.
 */
export function burstWaits(grown: number, lastBurstAt: number, now: number, budgetChars = FORMAT_CHARS_PER_FRAME, quietMs = BURST_QUIET_MS): boolean {
  return isBurst(grown, budgetChars) || now - lastBurstAt < quietMs
}

/** Whether text grown by `grown` characters since the last drawing is a burst: more than one frame formats. */
export function isBurst(grown: number, budgetChars = FORMAT_CHARS_PER_FRAME): boolean {
  return grown > budgetChars
}

/**
 * Whether an answer first drawn now is formatted in the background (its text as written until then): a finished one
 * longer than `BACKGROUND_FORMAT_CHARS`. One drawn while it streams never is: its blocks are formatted as they come.
 */
export function formattedInBackground(chars: number, streaming: boolean, limit = BACKGROUND_FORMAT_CHARS): boolean {
  return !streaming && chars > limit
}

/**
 * What the answers first drawn in one task may format there, together: a list drawing many rows at once (the first
 * frames of a fast scroll, before Virtuoso's velocity, sampled every 100 ms, turns rows into placeholders; a chat opened
 * at a message) formats those that fit in one frame's budget, each counted as its length plus a parse's fixed cost,
 * and leaves the rest to the background (their text as written for a few frames). The first answer of a task is always
 * formatted at once, unless it is long (`formattedInBackground`). Spent characters are forgotten after the script.
 */
export class FormatBudget {
  private spent = 0
  private forgetting = false

  constructor(
    private readonly budgetChars = FORMAT_CHARS_PER_FRAME,
    /**
     * Whether a chat list is opening (drawn but not shown yet): its rows are formatted at once, as it waits for any
     * row formatted in the background before it shows, and a list kept hidden for that was a list shown later.
     */
    private readonly listOpening: () => boolean = chatListOpening,
    // Once the script drawing them is done: a render that draws rows at once (Virtuoso's, in a scroll event) is one
    // run of script; a time-sliced one gets a budget per slice.
    // Called as a function of its own, never as this class's method: `queueMicrotask` called with this budget as its
    // `this` throws "Illegal invocation" in Chromium, and the spent characters were never forgotten.
    private readonly afterTask: (forget: () => void) => void = (forget) => queueMicrotask(forget)
  ) {}

  /** Whether an answer of `chars` drawn now is formatted now (its cost then counted) or in the background. */
  formatNow(chars: number): boolean {
    if (this.listOpening()) return true
    if (!this.forgetting) {
      this.forgetting = true
      this.afterTask(() => {
        this.spent = 0
        this.forgetting = false
      })
    }
    const cost = chars + ANSWER_FORMAT_COST_CHARS
    if (this.spent > 0 && this.spent + cost > this.budgetChars) return false
    this.spent += cost
    return true
  }
}

/** Whether the page has a chat list that is not shown yet (use-list-shown.ts marks it shown). */
function chatListOpening(): boolean {
  return typeof document !== 'undefined' && document.querySelector(`.chat-list-frame:not([${shownAttribute}])`) !== null
}

/** The window's one budget: every answer drawn shares it. */
export const answerFormatBudget = new FormatBudget()
