// Run: npx tsx bench/search-chromium.ts [messages]
// Issue 11's search figures in real Chromium (bench/search-rows.ts), printed as the page's JSON and as report rows.
import { rowsTable } from './report'
import { runSearchBench, searchRows } from './search-rows'

const count = Number(process.argv[2] ?? 100_000)
const started = Date.now()
const report = await runSearchBench(count, (line) => console.error(line))
console.log(JSON.stringify(report, null, 2))
console.log(rowsTable(searchRows(report)))
console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`)
