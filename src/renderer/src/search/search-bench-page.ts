// The page bench/search-chromium.ts loads in Chromium: the search figures over the browser's own IndexedDB.
import { median } from '../../../shared'
import { ParleyDatabase } from '../db/schema'
import { benchQueries, fakeMessages, seedHistory, timeIndexedWrites, timeSearch, type SearchTiming, type WriteTiming } from './search-bench'

export interface ChromiumSearchReport {
  messages: number
  /** Writing the rows through the applier's row writes, 500 per commit. */
  seedWriteSeconds: number
  /** The idle pass indexing them afterwards. */
  seedIndexSeconds: number
  /** The same queries over 1,000 messages, in the same page and run: the baseline. */
  baseline: SearchTiming[]
  /** The queries once the database has settled (`settleMs` after seeding, nothing else running): the figures. */
  searches: SearchTiming[]
  /**
   * The same queries right after seeding, while Chromium still compacts the minute of writes it just took (LevelDB, on
   * the same two cores): a few runs took 50-80 ms then and under 20 ms after the wait. Reported beside the figures.
   */
  searchesRightAfterSeeding: SearchTiming[]
  settleMs: number
  /** One IndexedDB request (a get of a missing key), median of 20 before the searches: what the machine allows now. */
  roundTripMs: number
  writes: WriteTiming[]
}

async function roundTrip(db: ParleyDatabase): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < 20; i++) {
    const start = performance.now()
    await db.meta.get(`missing-${i}`)
    times.push(performance.now() - start)
  }
  return median(times)
}

async function timeQueries(db: ParleyDatabase): Promise<SearchTiming[]> {
  const timings: SearchTiming[] = []
  for (const { kind, query } of benchQueries()) {
    timings.push(await timeSearch(db, query, kind))
    console.log(JSON.stringify(timings.at(-1)))
  }
  return timings
}

async function run(count: number, settleMs: number): Promise<ChromiumSearchReport> {
  const small = new ParleyDatabase(`search-bench-small-${Date.now()}`)
  await seedHistory(small, fakeMessages({ chats: 100, messages: 1_000 }))
  const baseline = await timeQueries(small)
  small.close()

  const db = new ParleyDatabase(`search-bench-${Date.now()}`)
  const seeded = await seedHistory(db, fakeMessages({ chats: 1_000, messages: count }), 5000, (line) => console.log(line))
  console.log(`seeded ${count} messages: rows ${seeded.writeSeconds.toFixed(1)} s, index pass ${seeded.indexSeconds.toFixed(1)} s`)
  const roundTripMs = await roundTrip(db)
  console.log(`one IndexedDB request: ${roundTripMs.toFixed(2)} ms`)
  const searchesRightAfterSeeding = await timeQueries(db)
  console.log(`waiting ${settleMs / 1000} s for the database to settle`)
  await new Promise((resolve) => setTimeout(resolve, settleMs))
  const searches = await timeQueries(db)
  const writes: WriteTiming[] = []
  for (const perCommit of [1, 50]) {
    writes.push(await timeIndexedWrites(db, fakeMessages({ chats: 10, messages: 1_000, seed: 99 }), perCommit))
    console.log(JSON.stringify(writes.at(-1)))
  }
  db.close()
  return { messages: count, seedWriteSeconds: seeded.writeSeconds, seedIndexSeconds: seeded.indexSeconds, baseline, searches, searchesRightAfterSeeding, settleMs, roundTripMs, writes }
}

Object.assign(globalThis, { searchBench: { run } })
