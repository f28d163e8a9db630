import type { ChatResults, SearchHit } from './search-messages'

/** The hits in the order the dialog shows them (chat by chat), for Up and Down. */
export function shownHits(chats: readonly ChatResults[]): SearchHit[] {
  return chats.flatMap((chat) => chat.hits)
}

/** The hit chosen after pressing Up (-1) or Down (+1): wraps around at either end; nothing to choose stays at 0. */
export function moveChoice(at: number, step: -1 | 1, count: number): number {
  if (count === 0) return 0
  return (((at + step) % count) + count) % count
}

/** The DOM id of a hit's row (the input's `aria-activedescendant`). */
export function hitElementId(hit: Pick<SearchHit, 'messageId'>): string {
  return `search-hit-${hit.messageId}`
}
