import { describe, expect, it } from 'vitest'
import { afterOwnJump, afterScroll, afterReaderMove, keyDirection, atBottomSeen, seeksPast, bottomSlack, followingFrom, newestJump, type Following } from './follow-bottom'

const view = 600

function scrolled(state: Following, scrollTop: number, scrollHeight: number): Following {
  return afterScroll(state, { scrollTop, scrollHeight, clientHeight: view })
}

describe('following the bottom of a chat while an answer streams', () => {
  it('keeps following when its own jump to the bottom is heard after the answer grew far beyond it', () => {
    const atBottom = scrolled(followingFrom('end'), 10_000 - view, 10_000)
    // The answer grew to 12,000 px and the list jumped to its bottom; by the time that scroll event is heard, a fast
    // answer has added 5,000 px more.
    const heard = scrolled(atBottom, 12_000 - view, 17_000)
    expect(heard.following).toBe(true)
    expect(scrolled(heard, 17_000 - view, 23_000).following).toBe(true)
  })

  it('stops following when the reader scrolls up, and not before', () => {
    const atBottom = scrolled(followingFrom('end'), 10_000 - view, 10_000)
    const nudged = scrolled(atBottom, 10_000 - view - bottomSlack / 2, 10_000)
    expect(nudged.following).toBe(true)
    const up = scrolled(nudged, 5_000, 10_000)
    expect(up.following).toBe(false)
  })

  it('stops following at the wheel turned up, even when the list jumped back to the bottom before the scroll was heard', () => {
    const following = afterOwnJump(scrolled(followingFrom('end'), 10_000 - view, 10_000), 10_400 - view)
    const turned = afterReaderMove(following, -120, 10_400 - view)
    expect(turned.following).toBe(false)
    // A token arrived first: its jump put the list back at the bottom, and the scroll event and Virtuoso's "at the
    // bottom" say so. The reader's turn still counts: neither makes it follow again, and the next turn moves it up.
    const undone = atBottomSeen(scrolled(turned, 10_500 - view, 10_500), { scrollTop: 10_500 - view, scrollHeight: 10_500, clientHeight: view })
    expect(undone.following).toBe(false)
    expect(scrolled(afterReaderMove(undone, -120, 10_500 - view), 10_500 - view - 120, 10_600).following).toBe(false)
    // Back at the bottom with the wheel turned down: following again.
    expect(scrolled(afterReaderMove(undone, 120, 10_500 - view), 10_600 - view, 10_600).following).toBe(true)
    // The wheel turned down changes nothing; at the bottom it follows again.
    expect(afterReaderMove(following, 120, 10_400 - view)).toBe(following)
    // Nor up in a list too short to scroll: nothing moves, and a growing answer must still be followed.
    expect(afterReaderMove(following, -120, 0)).toBe(following)
  })

  it('stays put while the answer grows below a reader who scrolled up, and follows again at the bottom', () => {
    const up = scrolled(scrolled(followingFrom('end'), 9_400, 10_000), 4_000, 10_000)
    const grew = scrolled(up, 4_000, 20_000)
    expect(grew.following).toBe(false)
    const down = scrolled(grew, 8_000, 20_000)
    expect(down.following).toBe(false)
    const bottom = scrolled(down, 20_000 - view, 20_000)
    expect(bottom.following).toBe(true)
  })

  it('does not follow in a list opened at a message far from the bottom, and does once it reaches the bottom', () => {
    expect(followingFrom('message').following).toBe(false)
    expect(scrolled(followingFrom('message'), 3_000, 10_000).following).toBe(false)
    expect(scrolled(followingFrom('message'), 10_000 - view, 10_000).following).toBe(true)
  })

  it('stops following at the first move up of a list that opened at the bottom without a scroll event', () => {
    expect(scrolled(atBottomSeen(followingFrom('end'), { scrollTop: 10_000 - view, scrollHeight: 10_000, clientHeight: view }), 6_400, 10_000).following).toBe(false)
    // Without the place the list said it was at the bottom, that first move up went unnoticed.
    expect(scrolled(followingFrom('end'), 6_400, 10_000).following).toBe(true)
  })

  it('takes the list’s word that it is at the bottom only where the scroller is at its bottom', () => {
    // A reader scrolled up a tall answer (not following); Virtuoso, reckoning from sizes it has not measured yet, says
    // the list is at its bottom 2,000 px above it: following then pulled the reader back down at the next growth.
    const up = scrolled(scrolled(followingFrom('end'), 9_400, 10_000), 7_400, 10_000)
    expect(up.following).toBe(false)
    expect(atBottomSeen(up, { scrollTop: 7_400, scrollHeight: 10_000, clientHeight: view })).toBe(up)
    expect(atBottomSeen(up, { scrollTop: 10_000 - view - bottomSlack, scrollHeight: 10_000, clientHeight: view }).following).toBe(true)
  })

  it('keeps following in a list opened at the end while it settles short of the bottom, until the reader moves up', () => {
    // The last row measured taller than guessed: the first scroll event is 300 px short of the new bottom.
    const settling = scrolled(followingFrom('end'), 9_400, 10_300)
    expect(settling.following).toBe(true)
    expect(scrolled(settling, 6_000, 10_300).following).toBe(false)
  })

  it('keeps following when the content shrinks under it and the browser clamps the scroll', () => {
    const atBottom = scrolled(followingFrom('end'), 10_000 - view, 10_000)
    const clamped = scrolled(atBottom, 8_000 - view, 8_000)
    expect(clamped.following).toBe(true)
  })

  it("never draws placeholders for the list's own jump to the bottom, only for a reader's fast scroll", () => {
    const following = scrolled(followingFrom('end'), 10_000 - view, 10_000)
    expect(seeksPast(5_000, following)).toBe(false)
    const flungUp = scrolled(following, 2_000, 10_000)
    expect(seeksPast(-5_000, flungUp)).toBe(true)
    expect(seeksPast(300, flungUp)).toBe(false)
  })

  it("keeps following a new chat's first answer when the scroll event of its first jump arrives after a burst", () => {
    const following = scrolled(followingFrom('end'), 10_000 - view, 10_000)
    const jumped = afterOwnJump(following, 12_000 - view)
    expect(scrolled(jumped, 12_000 - view, 30_000).following).toBe(true)
    // Without the jump remembered, that event reads as the reader's move up.
    expect(scrolled(following, 9_000, 30_000).following).toBe(false)
  })
})

describe('a list drawn shorter for a moment while it follows', () => {
  it('keeps following after a step up within the slack heard once the list grew far below it; steps add up past it', () => {
    const following = afterOwnJump(scrolled(followingFrom('end'), 616 - view, 616), 616 - view)
    // Lowered by 4 px (the list drawn shorter for a moment), heard when the answer's row had made it 15,408 px.
    const lowered = scrolled(following, 612 - view, 15_408)
    expect(lowered).toEqual(following)
    // The scrollbar dragged up in steps from a list following at 10,000: followed until past the slack, then left.
    let state = afterOwnJump(scrolled(followingFrom('end'), 10_000 - view, 10_000), 10_000 - view)
    for (const step of [1, 2]) {
      state = scrolled(state, 10_000 - view - step * 20, 12_000)
      expect(state.following).toBe(true)
    }
    expect(scrolled(state, 10_000 - view - 60, 12_000).following).toBe(false)
  })
})

describe('jumping to the newest message', () => {
  it('shows nothing while the list follows the live end, scrolls when the reader is up in it, reopens from elsewhere', () => {
    expect(newestJump(true, true)).toBe('none')
    expect(newestJump(true, false)).toBe('scroll')
    // Opened at a search result, or scrolled up past the pages the window holds: the newest is not in the list.
    expect(newestJump(false, true)).toBe('reopen')
    expect(newestJump(false, false)).toBe('reopen')
  })
})

describe('keys that scroll the list', () => {
  it('reads up and down keys as the reader moving, and nothing typed in a text field', () => {
    expect(['ArrowUp', 'PageUp', 'Home'].map((key) => keyDirection(key, false, false))).toEqual([-1, -1, -1])
    expect(['ArrowDown', 'PageDown', 'End', ' '].map((key) => keyDirection(key, false, false))).toEqual([1, 1, 1, 1])
    expect(keyDirection(' ', true, false)).toBe(-1)
    expect(keyDirection('PageUp', false, true)).toBe(0)
    expect(keyDirection('a', false, false)).toBe(0)
  })
})
