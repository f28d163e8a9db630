// The page bench/search-chromium.ts loads in Chromium: the search figures over the browser's own IndexedDB.
import { ParleyDatabase } from '../db/schema'
import { fakeMessages, seedHistory, timeIndexedWrites, timeSearch, vocabulary, type SearchTiming, type WriteTiming } from './search-bench'

export interface ChromiumSearchReport {
  messages: number
  seedSeconds: number
  searches: SearchTiming[]
  writes: WriteTiming[]
}

async function run(count: number): Promise<ChromiumSearchReport> {
  const db = new ParleyDatabase(`search-bench-${Date.now()}`)
  const messages = fakeMessages({ chats: 1_000, messages: count })
  const start = performance.now()
  await seedHistory(db, messages)
  console.log(`seeded ${count} messages in ${((performance.now() - start) / 1000).toFixed(1)} s`)
  const seedSeconds = (performance.now() - start) / 1000
  const words = vocabulary(5000, 8)
  const queries = [words[0] ?? '', words[0]?.slice(0, 2) ?? '', words[40] ?? '', words[40]?.slice(0, 4) ?? '', words[4000] ?? '', `${words[3]} ${words[90]?.slice(0, 3)}`]
  const searches: SearchTiming[] = []
  for (const query of queries) {
    searches.push(await timeSearch(db, query))
    console.log(JSON.stringify(searches.at(-1)))
  }
  const writes: WriteTiming[] = []
  for (const perCommit of [1, 50]) writes.push(await timeIndexedWrites(db, fakeMessages({ chats: 10, messages: 1_000, seed: 99 }), perCommit))
  db.close()
  return { messages: count, seedSeconds, searches, writes }
}

Object.assign(globalThis, { searchBench: { run } })
