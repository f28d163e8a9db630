import { describe, expect, it } from 'vitest'
import { addMessage, chunkSize, decodeChunk, denseFrom, emptyChunk, encodeChunk, isFull, matchChunk, orderOf, parseTerm, termsOf } from './search-chunks'
import { queryWords } from './words'

const ids = (found: { hits: { messageId: string }[] }): string[] => found.hits.map((hit) => hit.messageId)

describe('search index chunks', () => {
  it('finds whole words and prefixes, and counts each query word once per message', () => {
    const chunk = emptyChunk(1)
    addMessage(chunk, { messageId: 'm1', words: ['lisbon', 'list', 'walk'] })
    addMessage(chunk, { messageId: 'm2', words: ['lisp'] })
    addMessage(chunk, { messageId: 'm3', words: ['porto'] })
    const row = encodeChunk(chunk)
    expect(row.dictionary.split('\n')).toEqual(['lisbon', 'lisp', 'list', 'porto', 'walk'])
    expect(matchChunk(row, queryWords('lis wal'))).toEqual({
      hits: [
        { messageId: 'm1', order: orderOf(1, 0), matched: 2 },
        { messageId: 'm2', order: orderOf(1, 1), matched: 1 }
      ],
      perWord: [2, 1]
    })
    expect(ids(matchChunk(row, queryWords('porto')))).toEqual(['m3'])
    expect(ids(matchChunk(row, queryWords('port')))).toEqual(['m3'])
    expect(ids(matchChunk(row, queryWords('portos')))).toEqual([])
    expect(ids(matchChunk(row, queryWords('zzz')))).toEqual([])
    expect(ids(matchChunk(row, queryWords('a')))).toEqual([])
  })

  it('a one-letter query word matches that word whole, not as a prefix', () => {
    const chunk = emptyChunk(1)
    addMessage(chunk, { messageId: 'm1', words: ['x', 'xylophone'] })
    addMessage(chunk, { messageId: 'm2', words: ['xylophone'] })
    expect(ids(matchChunk(encodeChunk(chunk), queryWords('x')))).toEqual(['m1'])
  })

  it('decodes a stored chunk to append to it, losing nothing', () => {
    const chunk = emptyChunk(3)
    addMessage(chunk, { messageId: 'm1', words: ['alpha', 'beta'] })
    const again = decodeChunk(encodeChunk(chunk))
    addMessage(again, { messageId: 'm2', words: ['beta', 'gamma'] })
    const row = encodeChunk(again)
    expect(row.id).toBe(3)
    expect(ids(matchChunk(row, queryWords('beta')))).toEqual(['m1', 'm2'])
    expect(ids(matchChunk(row, queryWords('alp')))).toEqual(['m1'])
    expect(ids(matchChunk(row, queryWords('gam')))).toEqual(['m2'])
  })

  it("a pass's terms list each word's new messages in order, or mark the word dense", () => {
    const chunk = emptyChunk(3)
    addMessage(chunk, { messageId: 'm1', words: ['alpha', 'beta'] })
    addMessage(chunk, { messageId: 'm2', words: ['beta', 'gamma'] })
    const terms = termsOf(chunk, 1).map(parseTerm)
    expect(terms).toEqual([
      { kind: 'listed', word: 'beta', order: orderOf(3, 1), messageId: 'm2' },
      { kind: 'listed', word: 'gamma', order: orderOf(3, 1), messageId: 'm2' }
    ])
    // Terms sort by word, then by order, as numbers.
    const later = emptyChunk(40)
    addMessage(later, { messageId: 'm9', words: ['beta'] })
    // alpha m1; beta m1, m2, m9 (chunk 40 after chunk 3); gamma m2.
    expect([...termsOf(later, 0), ...termsOf(chunk, 0)].sort().map((term) => { const parsed = parseTerm(term); return parsed?.kind === 'listed' ? parsed.order : undefined })).toEqual([
      orderOf(3, 0),
      orderOf(3, 0),
      orderOf(3, 1),
      orderOf(40, 0),
      orderOf(3, 1)
    ])
    for (let i = 0; i <= denseFrom; i++) addMessage(chunk, { messageId: `n${i}`, words: ['gamma'] })
    expect(termsOf(chunk, 2).map(parseTerm)).toEqual([{ kind: 'dense', word: 'gamma', chunk: 3 }])
  })

  it(`is full at ${chunkSize} messages`, () => {
    const chunk = emptyChunk(1)
    for (let i = 0; i < chunkSize - 1; i++) addMessage(chunk, { messageId: `m${i}`, words: ['w'] })
    expect(isFull(chunk)).toBe(false)
    addMessage(chunk, { messageId: 'last', words: ['w'] })
    expect(isFull(chunk)).toBe(true)
  })
})
