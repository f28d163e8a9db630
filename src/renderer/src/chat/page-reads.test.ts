import { describe, expect, it } from 'vitest'
import { PageReads } from './page-reads'

const page = (endAt: number) => ({ endAt })

describe('page reads', () => {
  it('reads each edge once at a time, and not again from the page it read from', () => {
    const reads = new PageReads<{ endAt: number }>()
    const first = page(100)
    expect(reads.may('newer', first, true)).toBe(true)
    reads.started('newer')
    expect(reads.may('newer', first, true)).toBe(false)
    // The other edge is its own.
    expect(reads.may('older', first, true)).toBe(true)
    reads.moved('newer', first)
    expect(reads.may('newer', first, true)).toBe(false)
    // The moved window's page, while a read behind, is not read from either.
    const second = page(200)
    expect(reads.may('newer', second, false)).toBe(false)
    expect(reads.may('newer', second, true)).toBe(true)
  })

  it('reads again from an end the window had before (scrolling down stopped there for good when it did not)', () => {
    const reads = new PageReads<{ endAt: number }>()
    reads.started('newer')
    reads.moved('newer', page(1150))
    reads.started('newer')
    reads.moved('newer', page(1250))
    // A page read at the top dropped the newest page: the window ends at 1150 again, in a new page.
    expect(reads.may('newer', page(1150), true)).toBe(true)
  })

  it('tries again after a read that failed', () => {
    const reads = new PageReads<{ endAt: number }>()
    const first = page(100)
    reads.started('older')
    reads.failed('older')
    expect(reads.may('older', first, true)).toBe(true)
  })
})
