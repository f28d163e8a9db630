import { BACKGROUND_FORMAT_CHARS, FORMAT_CHARS_PER_FRAME } from './limits'

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

/**
 * Whether an answer first drawn now is formatted in the background (its text as written until then): a finished one
 * longer than `BACKGROUND_FORMAT_CHARS`. One drawn while it streams never is: its blocks are formatted as they come.
 */
export function formattedInBackground(chars: number, streaming: boolean, limit = BACKGROUND_FORMAT_CHARS): boolean {
  return !streaming && chars > limit
}
