import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { chromiumArgs, chromiumPath } from '../../e2e/fixtures/chromium'
import { startScriptedServer } from '../../e2e/fixtures/scripted-server'
import { archiveOf, manyChats } from './bench-chats'
import { startBrowserMode, type BrowserMode } from './browser-mode'
import { seedThroughImport } from './seed'

// The first opening of a big history (a window with an empty IndexedDB rebuilds from main), builds taken in turn. Not
// part of the bench:
//   cp -r out .ab/before; (change, build); node --import tsx bench/browser/first-opening.ts .ab/before out
// (a build folder under this checkout: web.js finds its packages in node_modules up the tree). PARLEY_FIRST_CHATS chats
// (10,000), PARLEY_FIRST_ROUNDS openings of each build (3), taken in turn. PARLEY_FIRST_DISK=1: each opening in a new
// profile on disk (IndexedDB in files, as a person's is) instead of the bench's in-memory context, which is slower and
// slows down further with every database written in it (decisions.md). Prints, per opening, when the first chat was
// painted, the page's busy time (Chromium's TaskDuration; PARLEY_FIRST_METRICS=1 prints every *Duration), how long main
// took to answer the snapshot pages (call to answer, overlapped with the writes) and the long tasks.
const builds = process.argv.slice(2)
if (builds.length === 0) throw new Error('Usage: first-opening.ts <build folder> [<build folder> ...]')
const chats = Number(process.env['PARLEY_FIRST_CHATS'] ?? '10000')
const rounds = Number(process.env['PARLEY_FIRST_ROUNDS'] ?? '3')
// PARLEY_FIRST_DISK=both: each build opened both ways in every round, in-memory first (the two compared in turn).
const where: readonly boolean[] = process.env['PARLEY_FIRST_DISK'] === 'both' ? [false, true] : [process.env['PARLEY_FIRST_DISK'] === '1']

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

const probe = `
globalThis.__frames = []; globalThis.__asked = []; globalThis.__longTasks = []
new PerformanceObserver((list) => { for (const e of list.getEntries()) globalThis.__longTasks.push(Math.round(e.duration)) }).observe({ type: 'longtask', buffered: true })
const Native = WebSocket
globalThis.WebSocket = class extends Native {
  constructor(...args) {
    super(...args)
    const send = this.send.bind(this)
    this.send = (data) => { if (typeof data === 'string' && data.includes('historySnapshot')) globalThis.__asked.push(Math.round(performance.now())); send(data) }
    this.addEventListener('message', (m) => { if (typeof m.data === 'string' && m.data.length > 100000) globalThis.__frames.push([Math.round(performance.now()), m.data.length]) })
  }
}
`

interface Opening {
  /** The page's main thread: all its tasks, and the script in them (Chromium's own counters). */
  busyMs: number
  scriptMs: number
  paintedMs: number
  frames: [number, number][]
  asked: number[]
  longTasks: number[]
}

async function openOnce(context: BrowserContext, app: BrowserMode): Promise<Opening> {
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  await page.goto(app.url)
  await page.locator('[data-testid="session-item"]').first().waitFor({ timeout: 600_000 })
  const paintedMs = Number(await page.evaluate('performance.now()'))
  const frames = (await page.evaluate('globalThis.__frames')) as [number, number][]
  const asked = (await page.evaluate('globalThis.__asked')) as number[]
  const longTasks = (await page.evaluate('globalThis.__longTasks')) as number[]
  const { metrics } = await cdp.send('Performance.getMetrics')
  const busyMs = Math.round((metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000)
  const scriptMs = Math.round((metrics.find((metric) => metric.name === 'ScriptDuration')?.value ?? 0) * 1000)
  if (process.env['PARLEY_FIRST_METRICS'] === '1') console.log(metrics.filter((metric) => metric.name.endsWith('Duration')).map((metric) => `${metric.name} ${Math.round(metric.value * 1000)}`).join(', '))
  await page.close()
  return { busyMs, scriptMs, paintedMs, frames, asked, longTasks }
}

const scripted = await startScriptedServer({ models: ['large'] })
const apps: BrowserMode[] = []
const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs], headless: true })
try {
  const archive = archiveOf(manyChats(chats))
  for (const build of builds) {
    const app = await startBrowserMode({ providerUrl: scripted.url, model: 'large', webEntry: resolve(build, 'main/web.js') })
    apps.push(app)
    await seedThroughImport(app, archive)
  }
  console.log(`seeded ${chats} chats in each of ${builds.length} builds`)
  const painted: number[][] = builds.flatMap(() => where.map(() => []))
  for (let round = 0; round < rounds; round++) {
    for (const [index, app] of apps.entries()) for (const onDisk of where) {
      const dir = onDisk ? mkdtempSync(join(tmpdir(), 'parley-first-')) : ''
      const context = onDisk
        ? await chromium.launchPersistentContext(dir, { executablePath: chromiumPath, args: [...chromiumArgs], headless: true })
        : await browser.newContext()
      try {
        await context.addInitScript({ content: probe })
        const opening = await openOnce(context, app)
        painted[index * where.length + where.indexOf(onDisk)]?.push(opening.paintedMs)
        const first = opening.frames[0]?.[0] ?? 0
        const last = opening.frames.at(-1)?.[0] ?? 0
        // Main's time per page: from the call to its answer (the page asks for the next while it writes this one).
        const answering = opening.frames.map(([at], page) => at - (opening.asked[page] ?? at))
        const mainMs = answering.reduce((sum, ms) => sum + ms, 0)
        const long = opening.longTasks.filter((ms) => ms > 50)
        console.log(
          `${builds[index]}${onDisk ? ' on disk' : ' in memory'} round ${round + 1}: painted ${opening.paintedMs.toFixed(0)} ms, page busy ${opening.busyMs} ms (script ${opening.scriptMs}); ${opening.frames.length} big frames, first at ${first}, last at ${last}; main answering ${mainMs} ms in all (median ${median(answering)}); ` +
            `${long.length} long tasks, longest ${Math.max(0, ...opening.longTasks)} ms`
        )
      } finally {
        await context.close()
        if (dir) rmSync(dir, { recursive: true, force: true })
      }
    }
  }
  for (const [index, build] of builds.entries()) {
    for (const [place, onDisk] of where.entries()) {
      const times = painted[index * where.length + place] ?? []
      console.log(`${build}${onDisk ? ' on disk' : ' in memory'}: median ${median(times).toFixed(0)} ms (${times.map((v) => v.toFixed(0)).join(', ')})`)
    }
  }
} finally {
  await browser.close()
  for (const app of apps) await app.stop()
  await scripted.close()
}
