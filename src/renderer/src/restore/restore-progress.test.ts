import { describe, expect, it } from 'vitest'
import { count, RestoreProgress, restoreText, timeLeftText } from './restore-progress'

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
    expect(store.getSnapshot()?.progress.messages).toBe(500)
  })

  it('says how long the rest should take at the pace so far, once it has run 3 s and done 2%; never before', () => {
    let now = 0
    const store = new RestoreProgress(() => now)
    const page = (messages: number) => ({ messages, totalMessages: 100_000, sessions: 10, totalSessions: 50_000 })
    store.take(page(500))
    expect(store.getSnapshot()?.secondsLeft).toBeNull()
    now = 2_000
    store.take(page(3_000))
    // 2 s in: too soon, however fast.
    expect(store.getSnapshot()?.secondsLeft).toBeNull()
    now = 10_000
    store.take(page(10_500))
    // 10,000 messages in 10 s since the first page: 89,500 left take 89.5 s.
    expect(store.getSnapshot()?.secondsLeft).toBeCloseTo(89.5)
    const state = store.getSnapshot()
    expect(restoreText(state?.progress, state?.secondsLeft ?? null)).toBe('Restoring your chats… 10,500 of 100,000 messages, about 90 seconds left')
  })

  it('takes the pace of the last 15 s or so, not of the whole copy: a copy that slows says so', () => {
    let now = 0
    const store = new RestoreProgress(() => now)
    const page = (messages: number) => ({ messages, totalMessages: 100_000, sessions: 10, totalSessions: 50_000 })
    // 1,000 messages a second for 30 s, then 100 a second.
    for (; now <= 30_000; now += 1_000) store.take(page(now))
    for (let done = 30_000; now <= 60_000; now += 1_000, done += 100) store.take(page(done))
    // Since the start: 33,000 in 60 s would say ~122 s left; at the pace of the last 15 s (100 a second): 671 s.
    expect(store.getSnapshot()?.secondsLeft).toBeCloseTo(671, 0)
  })

  it('words the time left in minutes from 90 s, in tens of seconds below, and not at all under 5 s', () => {
    expect(timeLeftText(null)).toBe('')
    expect(timeLeftText(4)).toBe('')
    expect(timeLeftText(6)).toBe(', about 10 seconds left')
    expect(timeLeftText(44)).toBe(', about 40 seconds left')
    expect(timeLeftText(90)).toBe(', about 2 minutes left')
    expect(timeLeftText(610)).toBe(', about 10 minutes left')
  })
})
