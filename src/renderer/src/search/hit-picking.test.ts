import { describe, expect, it } from 'vitest'
import type { MessageRow } from '../db/schema'
import { userMessage } from '../testing/history-fixtures'
import { HitPicking, mostRowsRead } from './hit-picking'
import type { ChunkHit } from './search-chunks'
import { queryWords } from './words'

const row = (id: string, text: string, createdAt: number, sessionId = 'chat'): MessageRow => ({ ...userMessage(sessionId, id, text, createdAt), seq: createdAt, createdSeq: createdAt })
const candidate = (messageId: string, order: number, matched: number): ChunkHit => ({ messageId, order, matched })
const titles = new Map([['chat', 'Chat']])

describe('HitPicking', () => {
  it('reads candidates with more words first, newest first, and stops once `limit` hold every word', () => {
    const picking = new HitPicking([candidate('one', 1, 1), candidate('both', 2, 2), candidate('both-older', 0, 2)], queryWords('lisbon tram'), 1, new Set())
    // The first batch is at least 8, so all three are asked for at once, in rank order.
    expect(picking.next()).toEqual(['both', 'both-older', 'one'])
    picking.take([row('both', 'lisbon tram', 5), row('both-older', 'lisbon trams', 3), row('one', 'lisbon', 9)], titles)
    expect(picking.next()).toBeUndefined()
    expect(picking.results(titles, 3).chats.flatMap((chat) => chat.hits.map((hit) => [hit.messageId, hit.allWords]))).toEqual([['both', true]])
  })

  it('checks each row as it is now: gone, edited, streaming, hidden or in a chat that is gone are not shown', () => {
    const candidates = ['gone', 'edited', 'streaming', 'hidden', 'orphan', 'kept'].map((id, at) => candidate(id, at, 1))
    const picking = new HitPicking(candidates, queryWords('lisbon'), 10, new Set(['hidden']))
    expect(picking.next()).toHaveLength(6)
    picking.take(
      [
        undefined,
        row('edited', 'porto', 1),
        { ...row('streaming', 'lisbon', 2), status: 'streaming' },
        row('hidden', 'lisbon', 3),
        row('orphan', 'lisbon', 4, 'deleted-chat'),
        row('kept', 'lisbon', 5)
      ],
      titles
    )
    expect(picking.next()).toBeUndefined()
    expect(picking.results(titles, 6).chats.flatMap((chat) => chat.hits.map((hit) => hit.messageId))).toEqual(['kept'])
  })

  it('goes on past messages with some words while fewer than `limit` were found, and reads at most `mostRowsRead` rows', () => {
    const many = Array.from({ length: mostRowsRead + 50 }, (_, at) => candidate(`m${at}`, at, 1))
    const picking = new HitPicking(many, queryWords('lisbon'), 50, new Set())
    let read = 0
    for (let ids = picking.next(); ids; ids = picking.next()) {
      read += ids.length
      // None of them holds the word any more: the picking keeps reading, up to its limit.
      picking.take(ids.map((id, at) => row(id, 'porto', at)), titles)
    }
    expect(read).toBe(mostRowsRead)
  })
})
