// Run: npx tsx src/renderer/src/search/search-bench-node.ts [messages]
// The search figures over fake-indexeddb in Node (a pure-JS IndexedDB: slower than Chromium's, so an upper bound).
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { ParleyDatabase } from '../db/schema'
import { benchQueries, fakeMessages, seedHistory, timeIndexedWrites, timeSearch } from './search-bench'

const argv = (globalThis as { process?: { argv: string[] } }).process?.argv ?? []
const count = Number(argv[2] ?? 100_000)
const db = new ParleyDatabase(`search-bench-${Date.now()}`, { indexedDB, IDBKeyRange })
const messages = fakeMessages({ chats: 1_000, messages: count })
const start = performance.now()
const seeded = await seedHistory(db, messages)
console.log(`seeded ${count} messages in 1,000 chats in ${((performance.now() - start) / 1000).toFixed(1)} s (index pass ${seeded.indexSeconds.toFixed(1)} s)`)
for (const { kind, query } of benchQueries()) {
  const timing = await timeSearch(db, query, kind)
  console.log(`search "${timing.query}" (${kind}): ${timing.medianMs.toFixed(1)} ms (${timing.hits} shown of ${timing.matched} matched)`)
}
for (const perCommit of [1, 50]) {
  const writes = await timeIndexedWrites(db, fakeMessages({ chats: 10, messages: 1_000, seed: 99 }), perCommit)
  console.log(`write ${writes.messages} finished messages, ${perCommit} per commit: ${writes.unindexedMs.toFixed(0)} ms rows, ${writes.indexPassMs.toFixed(0)} ms index pass (${writes.ratio.toFixed(2)}x in all)`)
}
