import { describe, expect, it } from 'vitest'
import { count, RestoreProgress, restoreText } from './restore-progress'

describe('restore progress', () => {
  it('says how many messages of how many are back, with thousands separated', () => {
    expect(restoreText(undefined)).toBe('Restoring your chats…')
    expect(restoreText({ messages: 1200, totalMessages: 2040, sessions: 3, totalSessions: 9 })).toBe(
      'Restoring your chats… 1,200 of 2,040 messages'
    )
    // Chats with no messages yet: counted as chats.
    expect(restoreText({ messages: 0, totalMessages: 0, sessions: 2, totalSessions: 2 })).toBe('Restoring your chats… 2 of 2 chats')
  })

  it('separates thousands without the browser number formats', () => {
    expect([0, 7, 999, 1000, 12345, 100000, 1234567].map(count)).toEqual(['0', '7', '999', '1,000', '12,345', '100,000', '1,234,567'])
  })

  it('tells its subscribers of each page', () => {
    const store = new RestoreProgress()
    let heard = 0
    store.subscribe(() => (heard += 1))
    store.take({ messages: 500, totalMessages: 900, sessions: 1, totalSessions: 2 })
    expect(heard).toBe(1)
    expect(store.getSnapshot()?.messages).toBe(500)
  })
})
