import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js'
import { chromiumArgs, chromiumPath } from '../../e2e/fixtures/chromium'
import { scriptedModels } from '../../e2e/fixtures/scripted-models'
import { startScriptedServer } from '../../e2e/fixtures/scripted-server'
import { archiveOf, benchChat, longAnswersChat, manyChats, streamTokens } from './bench-chats'
import { startBrowserMode } from './browser-mode'
import { benchProbeScript, type BenchWindow } from './page-probe'
import { seedThroughImport } from './seed'

// What each long task of the app's load is (issue 11: no task over 50 ms while it loads). Not part of the bench:
//   npx electron-vite build && PARLEY_PROFILE_CHATS=5000 node --import tsx bench/browser/load-profile.ts
// Seeds that many chats (0: the empty app), opens the page once to copy them, then traces PARLEY_PROFILE_LOADS
// loads (default 2) and prints, for every top-level task over 50 ms, its parts and the functions its samples fell in.
// PARLEY_PROFILE_LONG_CHAT=10000 seeds one chat of that many messages instead (the bench's shape) and waits for its
// last message: what opening a long chat costs. PARLEY_PROFILE_SEARCH=journal (with PARLEY_PROFILE_CHATS) traces instead
// each load's first search for that word through Ctrl+K, from the key to 50 results painted (PARLEY_PROFILE_OPEN=1: the
// dialog's opening instead). For loads: PARLEY_PROFILE_RESOURCES=1 prints when each script, stylesheet and font was
// fetched, PARLEY_PROFILE_INIT runs a script before the page's own (a test seam, a warm-up to try, a probe: its console
// lines that start with PROBE are printed), PARLEY_PROFILE_AFTER_MS how long a load is traced past its paint (300), PARLEY_PROFILE_SAVE=/tmp/t
// writes each load's trace to /tmp/t-N.json.

interface TraceEvent {
  readonly name: string
  readonly ph: string
  readonly ts: number
  readonly dur?: number
  readonly tid: number
  readonly pid: number
  readonly args?: { data?: { cpuProfile?: CpuChunk; timeDeltas?: number[]; url?: string; functionName?: string } }
}
interface CpuChunk {
  readonly nodes?: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; parent?: number }[]
  readonly samples?: number[]
}

const maps = new Map<string, SourceMapConsumer | undefined>()
const chats = Number(process.env['PARLEY_PROFILE_CHATS'] ?? '0')
const loads = Number(process.env['PARLEY_PROFILE_LOADS'] ?? '2')
const longChat = Number(process.env['PARLEY_PROFILE_LONG_CHAT'] ?? '0')
const searchFor = process.env['PARLEY_PROFILE_SEARCH'] ?? ''
// PARLEY_PROFILE_SCROLL=1 (with PARLEY_PROFILE_LONG_CHAT) traces scrolling the long chat to its top, 1,500 px a frame
// (PARLEY_PROFILE_STEP px).
const scrollUp = process.env['PARLEY_PROFILE_SCROLL'] === '1'
// PARLEY_PROFILE_STREAM=10000 (with PARLEY_PROFILE_LONG_CHAT) traces an answer of that many tokens sent as fast as the
// server can, the bench's provider → DOM figure: when main's WebSocket frames reach the page (page clock), the tasks
// from the Enter to the end marker painted (over PARLEY_PROFILE_TASK_MS, 8), and the scripted server's request times.
const streamTokenCount = Number(process.env['PARLEY_PROFILE_STREAM'] ?? '0')
const categories = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'blink.user_timing',
  // The sampling profiler costs the page time of its own: PARLEY_PROFILE_SAMPLES=0 leaves it out.
  ...(process.env['PARLEY_PROFILE_SAMPLES'] === '0' ? [] : ['disabled-by-default-v8.cpu_profiler']),
  // PARLEY_PROFILE_INVALIDATIONS=1: what made each layout dirty (with PARLEY_PROFILE_SAVE, read from the saved trace).
  ...(process.env['PARLEY_PROFILE_INVALIDATIONS'] === '1' ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : [])
]

const scripted = await startScriptedServer({ models: ['large'] })
const models = scriptedModels(scripted)
const app = await startBrowserMode({ providerUrl: scripted.url, model: 'large' })
const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, '--disable-renderer-backgrounding'], headless: true })
try {
  if (longChat > 0) {
    // PARLEY_PROFILE_LONG_ANSWERS=1: every answer a long one (~14,000 characters: prose, lists, six code blocks, a table, math).
    const chat =
      process.env['PARLEY_PROFILE_LONG_ANSWERS'] === '1'
        ? longAnswersChat('long-chat', 'Long chat', longChat)
        : benchChat('long-chat', 'Long chat', longChat, { words: 50, codeEvery: 20, mathEvery: 50 })
    await seedThroughImport(app, archiveOf([chat]))
    console.log(`seeded a chat of ${longChat} messages`)
  } else if (chats > 0) {
    const started = Date.now()
    await seedThroughImport(app, archiveOf(manyChats(chats)))
    console.log(`seeded ${chats} chats in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const selector =
    longChat > 0
      ? `[data-message-id="long-chat-${longChat - 1}"]`
      : chats > 0
        ? '[data-testid="session-item"]'
        : '[data-testid="new-session"]'
  // What the bench's own probe sees: the page's longtask entries (start from navigation, duration).
  await context.addInitScript({
    content: `globalThis.__longTasks = []; new PerformanceObserver((list) => { for (const e of list.getEntries()) globalThis.__longTasks.push([Math.round(e.startTime), Math.round(e.duration)]) }).observe({ type: 'longtask', buffered: true })`
  })
  // PARLEY_PROFILE_INIT: a script run before the page's own in every load (a test seam set, say).
  if (process.env['PARLEY_PROFILE_INIT']) await context.addInitScript({ content: process.env['PARLEY_PROFILE_INIT'] })
  const first = await context.newPage()
  await first.goto(app.url)
  // The long chat is opened once by hand: later loads open the last chat shown.
  if (longChat > 0) await first.locator('[data-testid="session-item"] .session-open').first().click({ timeout: 120_000 })
  await paintedAt(first, selector)
  await first.waitForTimeout(2_000)
  await first.close()
  for (let i = 0; i < loads && searchFor !== ''; i++) {
    const page = await context.newPage()
    page.on('console', (m) => m.text().startsWith('SEARCH') && console.log(m.text()))
    await page.goto(app.url)
    await paintedAt(page, selector)
    // PARLEY_PROFILE_OPEN=1: the dialog's opening is traced instead (its read-ahead of the newest messages), for 1 s.
    if (process.env['PARLEY_PROFILE_OPEN'] === '1') {
      await page.waitForTimeout(5_000)
      await browser.startTracing(page, { categories })
      await page.keyboard.press('Control+K')
      await page.waitForTimeout(1_000)
      const opened = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }
      console.log(`\n=== load ${i + 1}: the search dialog's first second`)
      report(opened.traceEvents, Number(process.env['PARLEY_PROFILE_TASK_MS'] ?? '8') * 1000)
      await page.close()
      continue
    }
    await page.keyboard.press('Control+K')
    await page.locator('[data-testid="search-indexing"]').waitFor({ state: 'detached', timeout: 300_000 })
    await page.waitForTimeout(1_000)
    // PARLEY_PROFILE_WARM=1: one search for the word first, then the box emptied: the traced one is a warm search.
    if (process.env['PARLEY_PROFILE_WARM'] === '1') {
      await page.keyboard.type(searchFor)
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="search-hit"]').length >= 50, undefined, { polling: 4 })
      await page.locator('[data-testid="search-dialog"] input').fill('')
      await page.waitForTimeout(500)
    }
    await browser.startTracing(page, { categories })
    const started = Date.now()
    if (process.env['PARLEY_PROFILE_WARM'] === '1') await page.locator('[data-testid="search-dialog"] input').fill(searchFor)
    else await page.keyboard.type(searchFor)
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="search-hit"]').length >= 50, undefined, { polling: 4 })
    const ms = Date.now() - started
    await page.waitForTimeout(100)
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }
    console.log(`\n=== load ${i + 1}: the first search for "${searchFor}" showed 50 hits ${ms} ms after typing began (from the harness)`)
    report(trace.traceEvents, Number(process.env['PARLEY_PROFILE_TASK_MS'] ?? '8') * 1000)
    await page.close()
  }
  for (let i = 0; i < loads && scrollUp; i++) {
    const page = await context.newPage()
    await page.goto(app.url)
    await paintedAt(page, selector)
    await page.waitForTimeout(1_000)
    await browser.startTracing(page, { categories })
    const script = `new Promise((resolve) => {
      const started = performance.now()
      const step = () => {
        const scroller = document.querySelector('.chat-pane [data-virtuoso-scroller="true"]')
        if (scroller) scroller.scrollTop = Math.max(0, scroller.scrollTop - ${process.env['PARLEY_PROFILE_STEP'] ?? '1500'})
        const first = document.querySelector('[data-message-id="long-chat-0"]')
        if ((scroller && scroller.scrollTop === 0 && first) || performance.now() - started > 60000) return resolve(performance.now() - started)
        requestAnimationFrame(step)
      }
      requestAnimationFrame(step)
    })`
    const ms = (await page.evaluate(script)) as number
    const seen = (await page.evaluate('JSON.stringify(globalThis.__longTasks)')) as string
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }
    console.log(`\n=== load ${i + 1}: scrolled to the top in ${(ms / 1000).toFixed(1)} s; longtask entries since navigation: ${seen}`)
    report(trace.traceEvents, Number(process.env['PARLEY_PROFILE_TASK_MS'] ?? '40') * 1000)
    await page.close()
  }
  for (let i = 0; i < loads && streamTokenCount > 0; i++) {
    const tag = `fast${i}x`
    const tokens = streamTokens(streamTokenCount, tag)
    models.answer((prompt) => (prompt === tag ? { tokens } : { text: 'ok' }))
    const page = await context.newPage()
    await page.addInitScript({ content: benchProbeScript() })
    // PARLEY_PROFILE_INIT's PROBE lines (page clock), printed beside the Enter's time.
    const probes: string[] = []
    page.on('console', (m) => m.text().startsWith('PROBE') && probes.push(m.text()))
    // Each WebSocket message's arrival (page clock) and size.
    await page.addInitScript({
      content: `globalThis.__frames = []; const Real = WebSocket; globalThis.WebSocket = class extends Real { constructor(...a) { super(...a); this.addEventListener('message', (e) => globalThis.__frames.push([performance.now(), typeof e.data === 'string' ? e.data.length : -1])) } }`
    })
    await page.goto(app.url)
    // The chat opens at its end: the last stream's answer, past the seeded chat's last message.
    await paintedAt(page, '[data-testid="message"]')
    await page.waitForFunction(() => document.querySelector('[data-formatting], [data-testid="unformatted-block"]') === null, undefined, { timeout: 60_000 })
    await page.waitForTimeout(1_000)
    await browser.startTracing(page, { categories })
    const requestsBefore = scripted.requests.length
    const origin = (await page.evaluate('performance.timeOrigin')) as number
    const framesBefore = (await page.evaluate('globalThis.__frames.length')) as number
    await page.locator('[data-testid="composer-input"]').fill(tag)
    const pressed = (await page.evaluate(`performance.mark('profile-enter').startTime`)) as number
    await page.locator('[data-testid="composer-input"]').press('Enter')
    const paintedWall = await page.evaluate(
      ([end]) => (globalThis as BenchWindow).__parleyBench.whenPaintedAt('[data-testid="message"]', end ?? '', 120_000),
      [`${tag}end`] as const
    )
    await page.waitForTimeout(200)
    const frames = ((await page.evaluate('globalThis.__frames')) as [number, number][]).slice(framesBefore)
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }
    const request = scripted.requests.slice(requestsBefore).find((r) => r.path.endsWith('/chat/completions'))
    const at = (wall: number | undefined) => (wall === undefined ? 'NaN' : (wall - origin - pressed).toFixed(0))
    console.log(`\n=== stream ${i + 1}: times from Enter (tasks too): request +${at(request?.time)}, server done +${at(request?.finishedAt)}, end painted +${at(paintedWall)} ms (${((streamTokenCount * 1000) / (paintedWall - (request?.time ?? 0))).toFixed(0)} tokens/s)`)
    console.log(`  frames [ms from Enter, characters]: ${frames.map(([t, n]) => `${(t - pressed).toFixed(0)}:${n}`).join(' ')}`)
    if (probes.length > 0) console.log(`  Enter pressed at ${pressed.toFixed(1)} (page clock); ${probes.join(' | ')}`)
    report(trace.traceEvents, Number(process.env['PARLEY_PROFILE_TASK_MS'] ?? '8') * 1000, 'profile-enter')
    if (process.env['PARLEY_PROFILE_SAVE']) writeFileSync(`${process.env['PARLEY_PROFILE_SAVE']}-stream-${i + 1}.json`, JSON.stringify(trace))
    await page.close()
  }
  for (let i = 0; i < loads && searchFor === '' && !scrollUp && streamTokenCount === 0; i++) {
    const page = await context.newPage()
    page.on('console', (m) => m.text().startsWith('PROBE') && console.log(m.text()))
    await browser.startTracing(page, { categories })
    await page.goto(app.url)
    const painted = await paintedAt(page, selector)
    await page.waitForTimeout(Number(process.env['PARLEY_PROFILE_AFTER_MS'] ?? '300'))
    const seen = (await page.evaluate('JSON.stringify(globalThis.__longTasks)')) as string
    const marks = (await page.evaluate(`JSON.stringify(performance.getEntriesByType('mark').map((m) => [m.name.replace('parley:', ''), Math.round(m.startTime)]))`)) as string
    console.log(`marks: ${marks}`)
    if (process.env['PARLEY_PROFILE_RESOURCES'])
      console.log(`scripts [name, start, end]: ${(await page.evaluate(`JSON.stringify(performance.getEntriesByType('resource').filter((r) => /[.](js|woff2|css)$/.test(r.name)).map((r) => [r.name.split('/').pop(), Math.round(r.startTime), Math.round(r.responseEnd)]))`)) as string}`)
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }
    if (process.env['PARLEY_PROFILE_SAVE']) writeFileSync(`${process.env['PARLEY_PROFILE_SAVE']}-${i + 1}.json`, JSON.stringify(trace))
    console.log(`\n=== load ${i + 1}: rows painted at ${painted.toFixed(0)} ms from navigation; the page's longtask entries [start, ms]: ${seen}`)
    report(trace.traceEvents, Number(process.env['PARLEY_PROFILE_TASK_MS'] ?? '50') * 1000)
    await page.close()
  }
} finally {
  await browser.close()
  await app.stop()
  await scripted.close()
}

/** performance.now() once `selector` is in the page and two frames have passed (one page.evaluate, no selector engine). */
async function paintedAt(page: Page, selector: string): Promise<number> {
  // A string, not a function: tsx would wrap a named function in a helper the page does not have.
  const script = `new Promise((resolve) => {
    const check = () => document.querySelector(${JSON.stringify(selector)})
      ? requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())))
      : setTimeout(check, 4)
    check()
  })`
  return (await page.evaluate(script)) as number
}

/** The main thread's tasks over `longerThanUs`, timed from navigation or from the user timing mark `from`. */
function report(events: TraceEvent[], longerThanUs = 50_000, from?: string): void {
  if (process.env['PARLEY_PROFILE_RESOURCES']) {
    const t0 = events.find((e) => e.name === 'navigationStart')?.ts ?? 0
    for (const e of events) {
      const data = e.args?.data as { url?: string; requestId?: string } | undefined
      const url = data?.url ?? ''
      if (/Resource(SendRequest|ReceiveResponse|Finish)|v8.compileModule|v8.evaluateModule|ParseScript|v8.compile/.test(e.name) && (url.includes('assets') || e.name.startsWith('Resource')))
        console.log(`  ${((e.ts - t0) / 1000).toFixed(1).padStart(7)} ${e.name} ${((e.dur ?? 0) / 1000).toFixed(1)} ms tid ${e.tid} ${url.split('/').pop() ?? ''} ${JSON.stringify(e.args?.data).slice(0, 160)}`)
    }
  }
  // The renderer's main thread: the one that ran the page's scripts.
  const main =
    events.find((e) => e.name === 'EvaluateScript' || e.name === 'v8.compile' || e.name === 'FireAnimationFrame') ??
    events.find((e) => e.name === 'thread_name' && (e.args as { name?: string } | undefined)?.name === 'CrRendererMain')
  if (!main) return console.log('no script evaluation in the trace')
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid)
  const tasks = onMain.filter((e) => e.ph === 'X' && e.name === 'RunTask' && (e.dur ?? 0) > longerThanUs)
  const samples = cpuSamples(events.filter((e) => e.pid === main.pid))
  const origin =
    (from === undefined ? undefined : events.find((e) => e.name === from)?.ts) ??
    onMain.find((e) => e.name === 'navigationStart' || e.name === 'markAsMainFrame')?.ts ??
    tasks[0]?.ts ??
    0
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0)
    console.log(`task at +${((task.ts - origin) / 1000).toFixed(0)} ms: ${((task.dur ?? 0) / 1000).toFixed(0)} ms`)
    const parts = new Map<string, number>()
    for (const e of onMain) {
      if (e.ph !== 'X' || e.ts < task.ts || e.ts >= end || e === task) continue
      const label = e.args?.data?.url ? `${e.name} ${e.args.data.url.split('/').pop()}` : e.args?.data?.functionName ? `${e.name} ${e.args.data.functionName}` : e.name
      parts.set(label, (parts.get(label) ?? 0) + (e.dur ?? 0))
    }
    const top = [...parts].sort((a, b) => b[1] - a[1]).slice(0, 12)
    console.log(`  parts (nested, so they overlap): ${top.map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(' | ')}`)
    const fns = new Map<string, number>()
    for (const s of samples) if (s.ts >= task.ts && s.ts < end) fns.set(s.frame, (fns.get(s.frame) ?? 0) + s.dt)
    const hot = [...fns].sort((a, b) => b[1] - a[1]).slice(0, 15)
    console.log(`  self time: ${hot.map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(' | ')}`)
    // PARLEY_PROFILE_STACKS=1: each function's time with what it called (inclusive), the 30 largest.
    if (process.env['PARLEY_PROFILE_STACKS'] !== '1') continue
    const inclusive = new Map<string, number>()
    for (const s of samples) if (s.ts >= task.ts && s.ts < end) for (const f of new Set(s.stack)) inclusive.set(f, (inclusive.get(f) ?? 0) + s.dt)
    const widest = [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 30)
    console.log(`  inclusive: ${widest.map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(' | ')}`)
    // PARLEY_PROFILE_UNDER=Composer.tsx:57: the same, of what the first frame whose name has it called.
    const under = process.env['PARLEY_PROFILE_UNDER']
    if (!under) continue
    const callees = new Map<string, number>()
    for (const s of samples) {
      if (s.ts < task.ts || s.ts >= end) continue
      const at = s.stack.findIndex((f) => f.includes(under))
      if (at >= 0) for (const f of new Set(s.stack.slice(0, at + 1))) callees.set(f, (callees.get(f) ?? 0) + s.dt)
    }
    const below = [...callees].sort((a, b) => b[1] - a[1]).slice(0, 30)
    console.log(`  under ${under}: ${below.map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(' | ')}`)
  }
}

/** The CPU profile's samples, each with the function (and its stack's app-level caller) it fell in. */
function cpuSamples(events: TraceEvent[]): { ts: number; dt: number; frame: string; stack: string[] }[] {
  const nodes = new Map<number, { name: string; parent?: number }>()
  const out: { ts: number; dt: number; frame: string; stack: string[] }[] = []
  const profile = events.find((e) => e.name === 'Profile')
  let ts = (profile?.args?.data as { startTime?: number } | undefined)?.startTime ?? 0
  for (const e of events.filter((x) => x.name === 'ProfileChunk')) {
    const chunk = e.args?.data
    for (const n of chunk?.cpuProfile?.nodes ?? []) {
      const file = (n.callFrame.url ?? '').split('/').pop() ?? ''
      nodes.set(n.id, { name: `${n.callFrame.functionName || '(anon)'}@${origin(file, n.callFrame.lineNumber, n.callFrame.columnNumber)}`, parent: n.parent })
    }
    const ids = chunk?.cpuProfile?.samples ?? []
    const deltas = chunk?.timeDeltas ?? []
    ids.forEach((id, i) => {
      ts += deltas[i] ?? 0
      const node = nodes.get(id)
      const caller = node?.parent !== undefined ? nodes.get(node.parent)?.name : undefined
      const stack: string[] = []
      for (let at = node; at; at = at.parent === undefined ? undefined : nodes.get(at.parent)) stack.push(at.name)
      out.push({ ts, dt: deltas[i + 1] ?? 100, frame: `${node?.name ?? '?'} <- ${caller ?? ''}`, stack })
    })
  }
  return out
}


/** Where a minified position came from, when the build left a source map (build with sourcemap on to see it). */
function origin(file: string, line: number | undefined, column: number | undefined): string {
  if (line === undefined || column === undefined) return file
  if (!maps.has(file)) {
    const path = join(import.meta.dirname, '../../out/renderer/assets', `${file}.map`)
    maps.set(file, file && existsSync(path) ? new SourceMapConsumer(JSON.parse(readFileSync(path, 'utf8')) as RawSourceMap) : undefined)
  }
  const found = maps.get(file)?.originalPositionFor({ line: line + 1, column })
  if (!found?.source) return `${file}:${line}:${column}`
  return `${found.source.replace(/.*node_modules\//, '').replace(/.*src\/renderer\/src\//, '')}:${found.line}`
}
