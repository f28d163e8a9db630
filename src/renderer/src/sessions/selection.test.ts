import { describe, expect, it } from 'vitest'
import { chooseSession, neighbourOf, type ListedChats } from './selection'

const chats = (ids: string[]): ListedChats => ({ has: (id) => ids.includes(id), newest: ids[0] })

describe('chooseSession', () => {
  it('shows the newest chat when none is selected', () => {
    expect(chooseSession(chats(['b', 'a']), undefined, new Set())).toBe('b')
    expect(chooseSession(chats([]), undefined, new Set())).toBeUndefined()
  })

  it('keeps a chat that is not listed yet because it was just created', () => {
    expect(chooseSession(chats(['b', 'a']), 'new', new Set(['a', 'b']))).toBe('new')
  })

  it('moves on when a listed chat disappears', () => {
    expect(chooseSession(chats(['b']), 'a', new Set(['a', 'b']))).toBe('b')
  })
})

describe('neighbourOf', () => {
  it('picks the chat below the deleted one, else the one above', () => {
    expect(neighbourOf(['c', 'b', 'a'], 'b')).toBe('a')
    expect(neighbourOf(['c', 'b', 'a'], 'a')).toBe('b')
    expect(neighbourOf(['a'], 'a')).toBeUndefined()
  })
})
