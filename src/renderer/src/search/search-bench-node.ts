// Run: npx tsx src/renderer/src/search/search-bench-node.ts [messages]
// The search figures over fake-indexeddb in Node (a pure-JS IndexedDB: slower than Chromium's, so an upper bound).
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { ParleyDatabase } from '../db/schema'
import { fakeMessages, seedHistory, timeIndexedWrites, timeSearch, vocabulary } from './search-bench'

const argv = (globalThis as { process?: { argv: string[] } }).process?.argv ?? []
const count = Number(argv[2] ?? 100_000)
const db = new ParleyDatabase(`search-bench-${Date.now()}`, { indexedDB, IDBKeyRange })
const messages = fakeMessages({ chats: 1_000, messages: count })
let start = performance.now()
await seedHistory(db, messages)
console.log(`seeded ${count} messages in 1,000 chats in ${((performance.now() - start) / 1000).toFixed(1)} s`)
const words = vocabulary(5000, 8)
for (const query of [words[0] ?? '', words[0]?.slice(0, 2) ?? '', words[40] ?? '', words[4000] ?? '', `${words[3]} ${words[90]?.slice(0, 3)}`]) {
  const timing = await timeSearch(db, query)
  console.log(`search "${timing.query}": ${timing.medianMs.toFixed(1)} ms (${timing.hits} shown of ${timing.matched} matched)`)
}
start = performance.now()
for (const perCommit of [1, 50]) {
  const writes = await timeIndexedWrites(db, fakeMessages({ chats: 10, messages: 1_000, seed: 99 }), perCommit)
  const ratio = writes.indexedMs / writes.unindexedMs
  console.log(`write ${writes.messages} finished messages, ${perCommit} per commit: ${writes.unindexedMs.toFixed(0)} ms unindexed, ${writes.indexedMs.toFixed(0)} ms indexed (${ratio.toFixed(2)}x)`)
}
