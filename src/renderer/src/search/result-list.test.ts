import { describe, expect, it } from 'vitest'
import { shownHits } from './result-list'
import type { ChatResults, SearchHit } from './search-messages'

const hit = (sessionId: string, messageId: string): SearchHit => ({
  sessionId,
  messageId,
  role: 'user',
  createdAt: 1,
  allWords: true,
  snippet: [{ text: messageId, marked: true }]
})

describe('the result list', () => {
  it('lists hits chat by chat, as shown', () => {
    const chats: ChatResults[] = [
      { sessionId: 'b', title: 'B', hits: [hit('b', 'b1'), hit('b', 'b2')] },
      { sessionId: 'a', title: null, hits: [hit('a', 'a1')] }
    ]
    expect(shownHits(chats).map((h) => h.messageId)).toEqual(['b1', 'b2', 'a1'])
  })
})
