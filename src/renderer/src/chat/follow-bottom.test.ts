import { describe, expect, it } from 'vitest'
import { afterOwnJump, afterScroll, seeksPast, bottomSlack, followingFromStart, type Following } from './follow-bottom'

const view = 600

function scrolled(state: Following, scrollTop: number, scrollHeight: number): Following {
  return afterScroll(state, { scrollTop, scrollHeight, clientHeight: view })
}

describe('following the bottom of a chat while an answer streams', () => {
  it('keeps following when its own jump to the bottom is heard after the answer grew far beyond it', () => {
    const atBottom = scrolled(followingFromStart, 10_000 - view, 10_000)
    // The answer grew to 12,000 px and the list jumped to its bottom; by the time that scroll event is heard, a fast
    // answer has added 5,000 px more.
    const heard = scrolled(atBottom, 12_000 - view, 17_000)
    expect(heard.following).toBe(true)
    expect(scrolled(heard, 17_000 - view, 23_000).following).toBe(true)
  })

  it('stops following when the reader scrolls up, and not before', () => {
    const atBottom = scrolled(followingFromStart, 10_000 - view, 10_000)
    const nudged = scrolled(atBottom, 10_000 - view - bottomSlack / 2, 10_000)
    expect(nudged.following).toBe(true)
    const up = scrolled(nudged, 5_000, 10_000)
    expect(up.following).toBe(false)
  })

  it('stays put while the answer grows below a reader who scrolled up, and follows again at the bottom', () => {
    const up = scrolled(scrolled(followingFromStart, 9_400, 10_000), 4_000, 10_000)
    const grew = scrolled(up, 4_000, 20_000)
    expect(grew.following).toBe(false)
    const down = scrolled(grew, 8_000, 20_000)
    expect(down.following).toBe(false)
    const bottom = scrolled(down, 20_000 - view, 20_000)
    expect(bottom.following).toBe(true)
  })

  it('does not follow in a list opened at a message far from the bottom', () => {
    expect(scrolled(followingFromStart, 3_000, 10_000).following).toBe(false)
  })

  it('keeps following when the content shrinks under it and the browser clamps the scroll', () => {
    const atBottom = scrolled(followingFromStart, 10_000 - view, 10_000)
    const clamped = scrolled(atBottom, 8_000 - view, 8_000)
    expect(clamped.following).toBe(true)
  })

  it("never draws placeholders for the list's own jump to the bottom, only for a reader's fast scroll", () => {
    const following = scrolled(followingFromStart, 10_000 - view, 10_000)
    expect(seeksPast(5_000, following)).toBe(false)
    const flungUp = scrolled(following, 2_000, 10_000)
    expect(seeksPast(-5_000, flungUp)).toBe(true)
    expect(seeksPast(300, flungUp)).toBe(false)
  })

  it("keeps following a new chat's first answer when the scroll event of its first jump arrives after a burst", () => {
    const jumped = afterOwnJump(followingFromStart, 10_000 - view)
    expect(scrolled(jumped, 10_000 - view, 30_000).following).toBe(true)
    // Without the jump remembered, that first event reads as the reader's move up.
    expect(scrolled(followingFromStart, 10_000 - view, 30_000).following).toBe(false)
  })
})
