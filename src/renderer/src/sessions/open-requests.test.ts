import { describe, expect, it } from 'vitest'
import type { ParleyEvent } from '../../../shared'
import { OpenRequests } from './open-requests'

const open = (sessionId: string, seq: number): ParleyEvent => ({ type: 'session.open', sessionId, seq, at: 1 })

describe('OpenRequests', () => {
  it('ignores a session.open replayed from before the page started listening', () => {
    const requests = new OpenRequests()
    requests.take(open('old', 3))
    requests.startAfter(5)
    expect(requests.getSnapshot()).toBeUndefined()
  })

  it('shows a chat main asks for afterwards', () => {
    const requests = new OpenRequests()
    requests.startAfter(5)
    requests.take(open('s1', 6))
    expect(requests.getSnapshot()).toEqual({ sessionId: 's1', seq: 6 })
    requests.take(open('s2', 9))
    expect(requests.getSnapshot()).toEqual({ sessionId: 's2', seq: 9 })
  })

  it('holds a request that arrives before the line is known, and keeps the latest', () => {
    const requests = new OpenRequests()
    requests.take(open('s1', 6))
    requests.take(open('s2', 7))
    expect(requests.getSnapshot()).toBeUndefined()
    requests.startAfter(5)
    expect(requests.getSnapshot()).toEqual({ sessionId: 's2', seq: 7 })
  })

  it('keeps the first line: a status after a reconnect does not hide later requests', () => {
    const requests = new OpenRequests()
    requests.startAfter(5)
    requests.startAfter(20)
    requests.take(open('s1', 8))
    expect(requests.getSnapshot()).toEqual({ sessionId: 's1', seq: 8 })
  })

  it('ignores every other event', () => {
    const requests = new OpenRequests()
    requests.startAfter(0)
    requests.take({ type: 'session.busy', sessionId: 's1', busy: true, seq: 1, at: 1 })
    expect(requests.getSnapshot()).toBeUndefined()
  })
})
