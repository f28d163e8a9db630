import { describe, expect, it } from 'vitest'
import { byRank, groupByChat, topCandidates, type Candidate } from './ranking'

describe('ranking search results', () => {
  it('puts messages with every word first, then the newest', () => {
    const all = { createdAt: 1, sessionId: 's1', messageId: 'old-all', matched: 2 }
    const newer = { createdAt: 5, sessionId: 's1', messageId: 'new-one', matched: 1 }
    const newest = { createdAt: 9, sessionId: 's2', messageId: 'newest-one', matched: 1 }
    expect([newer, all, newest].sort(byRank).map((c) => c.messageId)).toEqual(['old-all', 'newest-one', 'new-one'])
  })

  it('keeps the same best results whether it sorts everything or keeps a window', () => {
    let seed = 7
    const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647
    const many: Candidate[] = Array.from({ length: 5000 }, (_, i) => ({
      createdAt: Math.floor(random() * 1000),
      sessionId: `s${i % 13}`,
      messageId: `m${i}`,
      matched: 1 + Math.floor(random() * 3)
    }))
    const expected = [...many].sort(byRank).slice(0, 50)
    expect(topCandidates(many, 50)).toEqual(expected)
    expect(topCandidates(many.slice(0, 30), 50)).toEqual([...many.slice(0, 30)].sort(byRank))
  })

  it('groups by chat in the order of each chat’s best hit, keeping rank order inside', () => {
    const ranked = [
      { sessionId: 'b', id: 1 },
      { sessionId: 'a', id: 2 },
      { sessionId: 'b', id: 3 },
      { sessionId: 'c', id: 4 },
      { sessionId: 'a', id: 5 }
    ]
    expect(groupByChat(ranked).map((group) => [group.sessionId, group.hits.map((hit) => hit.id)])).toEqual([
      ['b', [1, 3]],
      ['a', [2, 5]],
      ['c', [4]]
    ])
  })
})
