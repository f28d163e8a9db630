import { describe, expect, it } from 'vitest'
import { chooseSession, neighbourOf } from './selection'

describe('chooseSession', () => {
  it('shows the newest chat when none is selected', () => {
    expect(chooseSession(['b', 'a'], undefined, new Set())).toBe('b')
    expect(chooseSession([], undefined, new Set())).toBeUndefined()
  })

  it('keeps a chat that is not listed yet because it was just created', () => {
    expect(chooseSession(['b', 'a'], 'new', new Set(['a', 'b']))).toBe('new')
  })

  it('moves on when a listed chat disappears', () => {
    expect(chooseSession(['b'], 'a', new Set(['a', 'b']))).toBe('b')
  })
})

describe('neighbourOf', () => {
  it('picks the chat below the deleted one, else the one above', () => {
    expect(neighbourOf(['c', 'b', 'a'], 'b')).toBe('a')
    expect(neighbourOf(['c', 'b', 'a'], 'a')).toBe('b')
    expect(neighbourOf(['a'], 'a')).toBeUndefined()
  })
})
