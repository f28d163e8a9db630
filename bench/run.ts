import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { partsFromEnv, runBrowserBench } from './browser/browser-bench'
import { scaleFromEnv } from './browser/scale'
import { runCoreBench, type CoreReport } from './core'
import { coreGoals as goals, coreRows } from './core-rows'
import { benchReportSchema, rowsTable, type BenchRow } from './report'
import { runSearchBench, searchRows } from './search-rows'

// `npm run bench`: the core in Node, then the app in Chromium (bench/browser/). PARLEY_BENCH_ONLY=core or =browser
// runs one half (=search: only the search figures); PARLEY_BENCH_SCALE=smoke runs the browser half at tiny sizes (and writes bench/reports/smoke.*).

const here = dirname(fileURLToPath(import.meta.url))
const only = process.env['PARLEY_BENCH_ONLY']
const scale = scaleFromEnv()
const started = Date.now()
// Ctrl+C or a kill: exit through 'exit', where each browser-mode server started is killed.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))
const log = (line: string): void => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`)

const core = only === 'browser' || only === 'search' ? undefined : await runCoreBench()
if (core) log(`core done in ${((Date.now() - started) / 1000).toFixed(0)} s`)
const browser = only === 'core' || only === 'search' ? undefined : await runBrowserBench(scale, log, partsFromEnv())
// Search in Chromium's IndexedDB over 100,000 messages (1,000 in the smoke run): with the browser half, or alone with
// PARLEY_BENCH_ONLY=search; PARLEY_BENCH_PARTS leaves it out unless it names `search`.
const parts = process.env['PARLEY_BENCH_PARTS']?.split(',').map((part) => part.trim())
const searchWanted = (only === undefined || only === 'browser' || only === 'search') && (parts === undefined || parts.includes('search'))
const searchStarted = Date.now()
const search = searchWanted ? await runSearchBench(scale.name === 'smoke' ? 1_000 : 100_000, (line) => log(`search: ${line}`)) : undefined
if (search) log(`search done in ${((Date.now() - searchStarted) / 1000).toFixed(0)} s`)
const rows: BenchRow[] = [...(core ? coreRows(core) : []), ...(browser?.rows ?? []), ...(search ? searchRows(search) : [])]
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown CPU',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  chromium: browser?.chromium ?? 'not run',
  loadAverage: loadavg().map((l) => Number(l.toFixed(2)))
}
const report = benchReportSchema.parse({ date: new Date().toISOString(), machine, scale: scale.name, rows })
const seconds = (Date.now() - started) / 1000

const pass = (ok: boolean) => (ok ? 'meets the goal' : 'MISSES the goal')

function coreSections(core: CoreReport): string[] {
  const [small, large] = core.turnStart
  const ratio = small && large ? large.p50Ms / small.p50Ms : Number.NaN
  return [
  "## Issue 9's goals, with main's session log and journal on disk",
  '',
  '| measure | result | baseline (same run) | goal | |',
  '|---|---|---|---|---|',
  `| drain ${core.journaled.sessions} sessions × ${core.journaled.promptsPerSession} prompts, log and journal on disk | ${core.journaled.turnsPerSecond.toFixed(0)} turns/s (${core.journaled.turns} turns in ${core.journaled.seconds.toFixed(2)} s; journal ended at ${(core.journaled.journalBytes / 1024).toFixed(0)} KB) | ${core.drain.turnsPerSecond.toFixed(0)} turns/s with history in memory and no journal | ≥ ${goals.journaledTurnsPerSecond} turns/s | ${pass(core.journaled.turnsPerSecond >= goals.journaledTurnsPerSecond)} |`,
  `| enqueue → request, chat of 10,000 messages (p50) | ${large?.p50Ms.toFixed(3) ?? '?'} ms (${ratio.toFixed(2)}× the chat of 10) | ${small?.p50Ms.toFixed(3) ?? '?'} ms in a chat of 10 | ≤ ${goals.turnStartRatio}× and < ${goals.turnStartMs} ms | ${pass(ratio <= goals.turnStartRatio && (large?.p50Ms ?? Infinity) < goals.turnStartMs)} |`,
  `| main's heap after ${core.heap.messages.toLocaleString('en')} messages in ${core.heap.sessions.toLocaleString('en')} sessions, idle | +${core.heap.growthMb.toFixed(1)} MB (${core.heap.endMb.toFixed(1)} MB; ${core.heap.peakMb.toFixed(0)} MB used while running, before collection) | ${core.heap.startMb.toFixed(1)} MB at the start | ≤ +${goals.heapGrowthMb} MB | ${pass(core.heap.growthMb <= goals.heapGrowthMb)} |`,
  '',
  'The journal commits in groups: what one tick records is one write and at most one fsync, off the main thread; a',
  "subscriber hears an event once the journal records it depends on are durable. The log writes one lmdb batch per",
  'tick, after the journal, and a turn reads uncommitted writes from memory, so no turn waits for a disk.',
  '',
  '## Core: the session agent with an in-process model that answers at once',
  '',
  `| measure | result | goal | |`,
  `|---|---|---|---|`,
  `| drain ${core.drain.sessions} sessions × ${core.drain.promptsPerSession} queued prompts | ${core.drain.turnsPerSecond.toFixed(0)} turns/s (${core.drain.turns} turns in ${core.drain.seconds.toFixed(2)} s) | ≥ ${goals.turnsPerSecond} turns/s | ${pass(core.drain.turnsPerSecond >= goals.turnsPerSecond)} |`,
  `| time the agent adds per queued hand-off (${core.handoff.handoffs} hand-offs, sessions of 10 prompts) | mean ${core.handoff.meanMs.toFixed(4)} ms, p50 ${core.handoff.p50Ms.toFixed(4)} ms, p99 ${core.handoff.p99Ms.toFixed(4)} ms | ≤ ${goals.handoffMs} ms | ${pass(core.handoff.meanMs <= goals.handoffMs)} |`,
  `| the same, one session with ${core.handoffLongSession.handoffs + 1} queued prompts (history grows to ${2 * (core.handoffLongSession.handoffs + 1)} messages) | mean ${core.handoffLongSession.meanMs.toFixed(4)} ms, p99 ${core.handoffLongSession.p99Ms.toFixed(4)} ms | (not a goal: shows the O(history) read and trim per turn) | |`,
  `| memory per idle session (${core.idleSession.sessions} sessions) | ${core.idleSession.bytesPerSession.toFixed(0)} B | ≤ ${goals.bytesPerIdleSession} B | ${pass(core.idleSession.bytesPerSession <= goals.bytesPerIdleSession)} |`,
  `| the same sessions after 3 turns each, idle again | ${core.idleSession.afterTurnsBytesPerSession.toFixed(0)} B | (includes the bounded memory of ended run ids) | |`,
  '',
  'The hand-off is measured from the end of one model stream to the start of the next in the same session: it covers',
  'the RunComplete, the drain, the user message, the history read and the request. The drain uses the in-memory history',
  "store (a test fake); the turn-start rows below use main's session log on disk, as the app does.",
  '',
  "## A turn's start: enqueue to the provider's request, with the session log and journal on disk (rule H4)",
  '',
  '| chat | turns | enqueue → request | messages read: first turn, mean per turn |',
  '|---|---|---|---|',
  ...core.turnStart.map(
    (r) =>
      `| ${r.chatMessages.toLocaleString('en')} messages | ${r.turns} | mean ${r.meanMs.toFixed(3)} ms, p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms | ${r.messagesReadFirstTurn}, ${r.messagesReadPerTurn.toFixed(1)} |`
  ),
  '',
  'Each chat is 400-character messages and the bench model (8,192 tokens of context, 256 for the answer): the log',
  'reads the current branch from its leaf and stops once the context is full, so the cost follows the context. The',
  'two chats take turns in one core (same load for both). Each turn adds two short messages, so the chat of 10 grows',
  'to 410 messages by the last turn and the chat of 10,000 reads its 79 long ones plus those: the reads differ by',
  'about 1.3× in count, which is most of the ratio.',
  ''
  ]
}

const lines = [
  '# Parley benchmark report',
  '',
  `- Date: ${report.date}; the whole run took ${seconds.toFixed(0)} s (${scale.name} sizes${only ? `, ${only} only` : ''})`,
  `- Machine: ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, Chromium ${machine.chromium} (headless, through Playwright)`,
  `- Load average at the end (1, 5, 15 min): ${machine.loadAverage.join(', ')} (other work on the machine slows every figure)`,
  ...(browser ? [`- Browser figures: ${browser.quietWaits}`] : []),
  '- Rerun: `npm run bench` (builds, then runs everything; under 10 minutes). `PARLEY_BENCH_ONLY=core` or `=browser` runs one half.',
  '',
  '## Every figure',
  '',
  rowsTable(report.rows),
  '',
  'Browser figures: `node out/main/web.js` with a fresh data folder per data set, seeded through the app\'s own import',
  "(`importChats` over the bridge, in the window's batches), opened in /usr/bin/chromium with frames kept at 60 Hz",
  '(`--disable-renderer-backgrounding` and friends; the first row checks it). Times "painted" are from navigation to the',
  'frame after the one whose callback found the text shown (`checkVisibility`, only in a frame: between frames it lays',
  'the page out once more; a virtual list may hold drawn rows hidden until it is in place). Frames are requestAnimationFrame deltas, long tasks come from',
  "PerformanceObserver('longtask'), the heap is CDP's JSHeapUsedSize after a forced collection. \"Highlighting off\" is",
  'the test seam `__parleyTestHooks.plainCode`. Streams come from the scripted model server (e2e/fixtures).',
  '',
  ...(core ? coreSections(core) : [])
]
const markdown = lines.join('\n')
const base = scale.name === 'smoke' ? 'smoke' : 'latest'
mkdirSync(join(here, 'reports'), { recursive: true })
writeFileSync(join(here, 'reports', `${base}.md`), markdown)
writeFileSync(join(here, 'reports', `${base}.json`), JSON.stringify({ ...report, goals, core: core ?? null }, null, 2))
console.log(markdown)
console.log(`Report written to ${join('bench', 'reports', `${base}.md`)} and .json`)
