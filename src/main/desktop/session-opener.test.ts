import { describe, expect, it } from 'vitest'
import { SessionOpener } from './session-opener'

describe('asking the window to show a chat', () => {
  it('publishes at once when the window was already there, its page listening', () => {
    const published: string[] = []
    const opener = new SessionOpener((id) => published.push(id))
    opener.open('s1', 'shown')
    expect(published).toEqual(['s1'])
    opener.statusAnswered()
    expect(published).toEqual(['s1'])
  })

  it("holds the request for a new window until its page's first status() was answered", () => {
    const published: string[] = []
    const opener = new SessionOpener((id) => published.push(id))
    opener.open('s1', 'made')
    expect(published).toEqual([])
    opener.statusAnswered()
    expect(published).toEqual(['s1'])
    // Later status() calls (a reconnect) publish nothing more.
    opener.statusAnswered()
    expect(published).toEqual(['s1'])
  })

  it('keeps only the latest request, and a request to a listening page replaces a held one', () => {
    const published: string[] = []
    const opener = new SessionOpener((id) => published.push(id))
    opener.open('s1', 'made')
    opener.open('s2', 'made')
    opener.statusAnswered()
    expect(published).toEqual(['s2'])
    opener.open('s3', 'made')
    opener.open('s4', 'shown')
    opener.statusAnswered()
    expect(published).toEqual(['s2', 's4'])
  })
})
