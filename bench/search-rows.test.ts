import { describe, expect, it } from 'vitest'
import { searchReportSchema, searchRows, settleMs, type SearchReport } from './search-rows'

const timing = (kind: string, medianMs: number, p95Ms: number) => ({ query: kind, kind, medianMs, p95Ms, slowestMs: p95Ms + 5, hits: 50, matched: 60 })

const report: SearchReport = {
  messages: 100_000,
  seedWriteSeconds: 40,
  seedIndexSeconds: 30,
  baseline: [timing('common word', 3, 5), timing('rare word', 2, 9)],
  searches: [timing('common word', 12, 20), timing('rare word', 8, 35)],
  searchesRightAfterSeeding: [timing('common word', 14, 79), timing('rare word', 9, 40)],
  settleMs: 20_000,
  roundTripMs: 0.3,
  writes: [{ messages: 1_000, perCommit: 50, unindexedMs: 400, indexPassMs: 300, ratio: 1.75 }]
}

describe('search rows', () => {
  it('reports the slowest kind of query at p50 and p95 beside the same over 1,000 messages, seeding, and the write ratio', () => {
    const rows = searchRows(searchReportSchema.parse(report))
    expect(rows.map((row) => [row.name, row.value, row.baseline?.value, row.met])).toEqual([
      ['search.chromium.first50P50Ms', 12, 3, true],
      ['search.chromium.first50P95Ms', 35, 9, false],
      ['search.chromium.seedSeconds', 70, 40, true],
      ['search.indexedWrite.perCommit50Ratio', 1.75, 400, true]
    ])
  })

  it('names the pass right after seeding, before the wait, in the figures it did not count for', () => {
    const [p50, p95] = searchRows(searchReportSchema.parse(report))
    expect(p50?.note).toContain('right after seeding, before the 20 s wait these figures followed: 14.0 ms (common word)')
    expect(p95?.note).toContain('right after seeding, before the 20 s wait these figures followed: 79.0 ms (common word)')
  })

  it('waits for the database to settle only after seeding a large history', () => {
    expect(settleMs(100_000)).toBe(20_000)
    expect(settleMs(1_000)).toBe(0)
  })

  it('refuses a page answer of the wrong shape', () => {
    expect(() => searchReportSchema.parse({ ...report, searches: [] })).toThrow()
  })
})
