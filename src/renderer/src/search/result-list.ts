import type { ChatResults, SearchHit } from './search-messages'

/** The hits in the order the dialog shows them (chat by chat), for Up and Down. */
export function shownHits(chats: readonly ChatResults[]): SearchHit[] {
  return chats.flatMap((chat) => chat.hits)
}

/** The DOM id of a hit's row (the input's `aria-activedescendant`). */
export function hitElementId(hit: Pick<SearchHit, 'messageId'>): string {
  return `search-hit-${hit.messageId}`
}
