// Run: npx tsx bench/search-chromium.ts [messages]
// Issue 11's search figures in real Chromium: seeds the messages through the applier's row writes (with their search
// index) in the browser's IndexedDB, then times the first 50 results of a few queries and what indexing adds to writes.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'
import { chromium } from '@playwright/test'

const count = Number(process.argv[2] ?? 100_000)
const bundled = await build({ entryPoints: ['src/renderer/src/search/search-bench-page.ts'], bundle: true, format: 'esm', write: false })
const script = bundled.outputFiles[0]?.text ?? ''
const server = createServer((request, response) => {
  if (request.url === '/bench.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
  else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/bench.js"></script>')
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
})
try {
  const page = await browser.newPage()
  page.on('console', (message) => console.error(`[page] ${message.text()}`))
  page.on('crash', () => console.error('[page] crashed'))
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`))
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  await page.waitForFunction(() => 'searchBench' in globalThis, undefined, { timeout: 30_000 })
  const report: unknown = await page.evaluate(
    (n) => (globalThis as unknown as { searchBench: { run: (n: number) => Promise<unknown> } }).searchBench.run(n),
    count
  )
  console.log(JSON.stringify(report, null, 2))
} finally {
  await browser.close()
  server.close()
}
