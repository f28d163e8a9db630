import { describe, expect, it } from 'vitest'
import { atLiveEnd, followingLeaf, nextFirstIndex, opened, withNewer, withOlder } from './message-window'

const limits = { page: 2, cap: 6 }
/** Rows one a millisecond from `from`, every one on the branch. */
const shown = (from: number, count: number) => {
  const rows = Array.from({ length: count }, (_, i) => ({ id: `m${from + i}`, createdAt: from + i }))
  return { rows, branch: rows }
}

describe('chat window', () => {
  it('moves its start back a page at a time while under its cap', () => {
    const moved = withOlder(atLiveEnd(), 8, shown(10, 4), limits)
    expect(moved.window).toEqual({ start: 8, end: { kind: 'leaf' } })
    expect(moved.dropped).toEqual([])
  })

  it('past its cap drops its newest rows, ending on the branch message it keeps, and remembers the edge it had', () => {
    const moved = withOlder(atLiveEnd(), 8, shown(10, 6), limits)
    expect(moved.window).toEqual({ start: 8, end: { kind: 'at', createdAt: 13, anchorId: 'm13', anchor: 'exact' } })
    expect(moved.dropped).toEqual([{ kind: 'leaf' }])
  })

  it('keeps its rows when none of the branch would stay to draw it from', () => {
    const rows = shown(10, 6).rows
    const moved = withOlder(atLiveEnd(), 8, { rows, branch: [{ id: 'm15', createdAt: 15 }] }, limits)
    expect(moved.window.end).toEqual({ kind: 'leaf' })
  })

  it('scrolling down takes back the edge dropped last, and drops its oldest rows past the cap', () => {
    const up = withOlder(atLiveEnd(), 8, shown(10, 6), limits)
    const down = withNewer(up, 99, shown(8, 6), limits)
    expect(down.window).toEqual({ start: 10, end: { kind: 'leaf' } })
    expect(down.dropped).toEqual([])
  })

  it('opened at a message, scrolls down by pages following the newest descendant of its last branch message', () => {
    const around = opened({ start: 5, end: { kind: 'at', createdAt: 9, anchorId: 'm7', anchor: 'newest-descendant' } })
    const down = withNewer(around, 11, shown(5, 5), limits)
    expect(down.window).toEqual({ start: 6, end: { kind: 'at', createdAt: 11, anchorId: 'm9', anchor: 'newest-descendant' } })
    expect(followingLeaf(down).window).toEqual({ start: 6, end: { kind: 'leaf' } })
  })

  it("keeps Virtuoso's firstItemIndex right as items are prepended, dropped from the top, or replaced", () => {
    const previous = { ids: ['c', 'd', 'e'], firstIndex: 100 }
    expect(nextFirstIndex(previous, ['a', 'b', 'c', 'd', 'e'], 1000)).toBe(98)
    expect(nextFirstIndex(previous, ['a', 'b', 'c', 'd'], 1000)).toBe(98)
    expect(nextFirstIndex(previous, ['e', 'f', 'g'], 1000)).toBe(102)
    expect(nextFirstIndex(previous, ['c', 'd', 'e', 'f'], 1000)).toBe(100)
    expect(nextFirstIndex(previous, ['x', 'y'], 1000)).toBe(1000)
    expect(nextFirstIndex(previous, [], 1000)).toBe(100)
  })
})
