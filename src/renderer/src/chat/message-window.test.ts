import { describe, expect, it } from 'vitest'
import {
  atLiveEnd,
  drawsOpeningPlace,
  edgesToRead,
  followingLeaf,
  nextFirstIndex,
  opened,
  openingPlace,
  prefetchMessages,
  withNewer,
  withOlder,
  type SeenRange
} from './message-window'

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
    const kept = (firstIndex: number) => ({ firstIndex, replaced: false })
    expect(nextFirstIndex(previous, ['a', 'b', 'c', 'd', 'e'], 1000)).toEqual(kept(98))
    expect(nextFirstIndex(previous, ['a', 'b', 'c', 'd'], 1000)).toEqual(kept(98))
    expect(nextFirstIndex(previous, ['e', 'f', 'g'], 1000)).toEqual(kept(102))
    expect(nextFirstIndex(previous, ['c', 'd', 'e', 'f'], 1000)).toEqual(kept(100))
    expect(nextFirstIndex(previous, [], 1000)).toEqual(kept(100))
    // Replaced wholly (a chat's first rows, then its last page as the rest was copied in): from the base, anew.
    expect(nextFirstIndex(previous, ['x', 'y'], 1000)).toEqual({ firstIndex: 1000, replaced: true })
    expect(nextFirstIndex({ ids: [], firstIndex: 1000 }, ['x'], 1000)).toEqual(kept(1000))
  })

  describe('which edge to read a page at as the drawn range moves', () => {
    const none = { older: false, newer: false }
    const at = (startIndex: number, endIndex: number, firstIndex = 1000) => ({ startIndex, endIndex, firstIndex })
    // A window of 400 items numbered from 1000: its last is 1399.
    const count = 400

    it('reads the next page down once the reader, going down, is within the prefetch distance of the end', () => {
      const near = 1399 - prefetchMessages + 1
      expect(edgesToRead(at(1300, near - 1), at(1301, near), count)).toEqual({ older: false, newer: true })
      expect(edgesToRead(at(1200, near - 2), at(1201, near - 1), count)).toEqual(none)
    })

    it('reads the next page up once the reader, going up, is within the prefetch distance of the start', () => {
      const near = 1000 + prefetchMessages - 1
      expect(edgesToRead(at(near + 1, near + 30), at(near, near + 29), count)).toEqual({ older: true, newer: false })
      expect(edgesToRead(at(near + 2, near + 31), at(near + 1, near + 30), count)).toEqual(none)
    })

    it('reads nothing in the direction the reader is not going, nor on the first range (opening at a message)', () => {
      // Near both edges of a short window, moving down: only the end.
      expect(edgesToRead(at(1000, 1010), at(1001, 1011), 20)).toEqual({ older: false, newer: true })
      expect(edgesToRead(undefined, at(1001, 1011), 20)).toEqual(none)
      expect(edgesToRead(at(1001, 1011), at(1001, 1011), 20)).toEqual(none)
    })

    it("takes the first range after the items were renumbered as the new start, not as a move (Virtuoso's report before it moves the scroll)", () => {
      // A page read at the bottom dropped 100 from the top: the reader at 1340 is now 1240 under firstIndex 1100, but
      // Virtuoso reports the old scroll once, 100 items further down (1440..1470), before moving it.
      const before = at(1340, 1370)
      const stale = at(1440, 1470, 1100)
      expect(edgesToRead(before, stale, count)).toEqual(none)
      // Then the real place: up by 100 from that report, far from the start, so nothing is read either.
      expect(edgesToRead(stale, at(1340, 1370, 1100), count)).toEqual(none)
      // And the reader going on down reads the next page only near the new end (1499).
      expect(edgesToRead(at(1340, 1370, 1100), at(1341, 1371, 1100), count)).toEqual(none)
      expect(edgesToRead(at(1440, 1470, 1100), at(1441, 1471, 1100), count)).toEqual({ older: false, newer: true })
    })
  })
})

describe('where a list opens', () => {
  it('centres the message opened at', () => {
    expect(openingPlace(42)).toEqual({ index: 42, align: 'center' })
    expect(openingPlace(0)).toEqual({ index: 0, align: 'center' })
  })

  it('opens at the bottom of whichever row is last when Virtuoso places it, not of the row last when it mounted', () => {
    // An index would keep aiming at the prompt once its answer came in below it (a prompt sent from far up).
    expect(openingPlace(-1)).toEqual({ index: 'LAST', align: 'end' })
  })

  it('has drawn its opening place once the drawn range holds it, counted from the first index', () => {
    const at = (startIndex: number, endIndex: number): SeenRange => ({ startIndex, endIndex, firstIndex: 1_000_000 })
    // Opened at the window's row 100: the list's first draw of its top rows is not the place.
    expect(drawsOpeningPlace(openingPlace(100), at(1_000_000, 1_000_012), 200)).toBe(false)
    expect(drawsOpeningPlace(openingPlace(100), at(1_000_090, 1_000_110), 200)).toBe(true)
    expect(drawsOpeningPlace(openingPlace(100), at(1_000_100, 1_000_100), 200)).toBe(true)
    expect(drawsOpeningPlace(openingPlace(100), at(1_000_101, 1_000_120), 200)).toBe(false)
    // At the end: the last row.
    expect(drawsOpeningPlace(openingPlace(-1), at(1_000_180, 1_000_198), 200)).toBe(false)
    expect(drawsOpeningPlace(openingPlace(-1), at(1_000_185, 1_000_199), 200)).toBe(true)
  })
})
