import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { archiveFormat, archiveVersion, type ChatArchive } from '../../src/shared'
import { EchoModel } from '../../src/main/core/service/echo-core'
import { startCoreWith } from '../../src/main/core/test-fixtures/core-with-model'
import { expect, test } from './chat-app'
import { startWebApp, stopWebApp } from './web-app'

// Issue 11 item 2: a virtual sidebar that stays smooth with many chats, and a filter by title.

const topics = ['sourdough', 'rust lifetimes', 'tax forms', 'garden beds', 'quantum physics', 'bike repair']

/** The title of chat `n` (1 is the oldest); the oldest has a title no other shares. */
export const titleOf = (n: number): string => (n === 1 ? 'Oldest: tomato soup' : `Chat ${n} about ${topics[n % topics.length]}`)

/** `count` chats, chat n last active at minute n (so the newest is the last), each with one prompt when `withMessages`. */
function archiveOf(count: number, withMessages: boolean): ChatArchive {
  const start = Date.UTC(2025, 0, 1)
  return {
    format: archiveFormat,
    version: archiveVersion,
    exportedAt: start,
    chats: Array.from({ length: count }, (_, index) => {
      const n = index + 1
      const at = start + n * 60_000
      const messages = withMessages
        ? [{ id: `m-${n}`, parentId: null, role: 'user' as const, parts: [{ type: 'text' as const, text: `Prompt of chat ${n}` }], createdAt: at }]
        : []
      return { id: `chat-${n}`, title: titleOf(n), createdAt: at, updatedAt: at, leafId: withMessages ? `m-${n}` : null, messages }
    })
  }
}

/** A data folder whose log holds `count` chats, imported through main's own path (the window rebuilds from it). */
async function dataDirWith(count: number, withMessages: boolean): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-many-'))
  const core = await startCoreWith(new EchoModel(), dataDir)
  const result = await core.service.importChats(archiveOf(count, withMessages))
  expect(result.imported).toBe(count)
  await core.service.ack(core.broker.lastSeq)
  await core.shutdown()
  return dataDir
}

/** Opens the app and waits until the window has rebuilt its copy of the history (all `count` chats in IndexedDB). */
async function openRebuilt(page: Page, url: string, count: number): Promise<void> {
  await page.goto(url)
  await expect(page.getByTestId('new-session')).toBeVisible({ timeout: 600_000 })
  await expect
    .poll(() => page.evaluate(() => new Promise<number>((resolve) => {
      const idb = (globalThis as unknown as { indexedDB: { open(name: string): { result: { transaction(s: string): { objectStore(s: string): { count(): { result: number; onsuccess: () => void } } } }; onsuccess: () => void } } }).indexedDB
      const open = idb.open('parley')
      open.onsuccess = () => {
        const counted = open.result.transaction('sessions').objectStore('sessions').count()
        counted.onsuccess = () => resolve(counted.result)
      }
    })), { timeout: 600_000 })
    .toBe(count)
}

test.describe('many chats', () => {
  test('2,000 chats: the sidebar draws a screenful, scrolls to the oldest and opens it, and filters by title', async ({ page }) => {
    test.setTimeout(240_000)
    const dataDir = await dataDirWith(2000, true)
    const app = await startWebApp({ PARLEY_DATA_DIR: dataDir })
    try {
      await openRebuilt(page, app.url, 2000)
      await page.reload()
      const rows = page.getByTestId('session-item')
      await expect(rows.first()).toHaveAttribute('data-session-id', 'chat-2000')
      // Virtual: only about a screenful (and a margin) is in the DOM, not 2,000 rows.
      const drawn = await rows.count()
      expect(drawn).toBeGreaterThan(5)
      expect(drawn).toBeLessThan(100)

      // Scroll to the end of the list: the oldest chat is there, and opens.
      const list = page.getByTestId('session-list')
      const oldest = page.locator('[data-testid="session-item"][data-session-id="chat-1"]')
      await expect(async () => {
        await list.hover()
        await page.mouse.wheel(0, 200_000)
        await expect(oldest).toBeVisible({ timeout: 1000 })
      }).toPass({ timeout: 30_000 })
      expect(await rows.count()).toBeLessThan(100)
      await oldest.click()
      await expect(page.locator('.chat-title')).toHaveText('Oldest: tomato soup')
      await expect(page.getByTestId('message')).toHaveCount(1)

      // Filter by title: Ctrl+Shift+F focuses the box, matching is by case-insensitive substring, Esc clears.
      await page.keyboard.press('Control+Shift+F')
      const filter = page.getByTestId('session-filter')
      await expect(filter).toBeFocused()
      await filter.fill('TOMATO')
      await expect(rows).toHaveCount(1)
      await expect(rows.first()).toHaveAttribute('data-session-id', 'chat-1')
      await filter.fill('rust life')
      await expect(rows.first()).toHaveAttribute('data-session-id', 'chat-1999')
      expect(await rows.count()).toBeLessThan(100)
      await filter.fill('no such chat anywhere')
      await expect(rows).toHaveCount(0)
      await expect(page.getByTestId('session-filter-empty')).toHaveText('No chats match “no such chat anywhere”.')
      await filter.press('Escape')
      await expect(filter).toHaveValue('')
      await expect(rows.first()).toHaveAttribute('data-session-id', 'chat-2000')
    } finally {
      await stopWebApp(app.server)
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  // A measurement (not a test): PARLEY_MANY_CHATS=50000 npx playwright test many-chats --project=web
  test('time to the first sidebar row and the longest task, beside the empty app', async ({ page, browser }, testInfo) => {
    const count = Number(process.env['PARLEY_MANY_CHATS'] ?? '0')
    test.skip(!(count > 0), 'a measurement: set PARLEY_MANY_CHATS=50000')
    test.setTimeout(1_800_000)
    const dataDir = await dataDirWith(count, false)
    const app = await startWebApp({ PARLEY_DATA_DIR: dataDir })
    const empty = await startWebApp()
    try {
      await openRebuilt(page, app.url, count)
      // Each loads in a page of its own, in the context whose IndexedDB holds its chats (the empty one warmed once).
      const emptyContext = await browser.newContext()
      await timeFirstPaint(await emptyContext.newPage(), empty.url, '.session-list-empty')
      const runs: { full: Timing; empty: Timing }[] = []
      for (let run = 0; run < 3; run += 1) {
        const fresh = await emptyContext.newPage()
        const emptyTiming = await timeFirstPaint(fresh, empty.url, '.session-list-empty')
        await fresh.close()
        const full = await page.context().newPage()
        const fullTiming = await timeFirstPaint(full, app.url, '[data-testid="session-item"]')
        await full.close()
        runs.push({ full: fullTiming, empty: emptyTiming })
      }
      const median = (values: number[]): number => [...values].sort((a, b) => a - b)[1] ?? NaN
      const line = `[many-chats] ${count} chats: first row ${median(runs.map((r) => r.full.paintedMs)).toFixed(0)} ms, longest task ${median(runs.map((r) => r.full.longestTaskMs)).toFixed(0)} ms (after the first row ${median(runs.map((r) => r.full.longestAfterPaintMs)).toFixed(0)} ms); empty app ${median(runs.map((r) => r.empty.paintedMs)).toFixed(0)} ms (longest task ${median(runs.map((r) => r.empty.longestTaskMs)).toFixed(0)} ms); runs ${JSON.stringify(runs)}`
      testInfo.annotations.push({ type: 'many chats', description: line })
      console.log(line)
    } finally {
      await stopWebApp(app.server)
      await stopWebApp(empty.server)
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

interface Timing {
  paintedMs: number
  /** From navigation on: includes compiling the app's script on a cold load. */
  longestTaskMs: number
  /** After the first row was painted: the rest of the list loading. */
  longestAfterPaintMs: number
}

/**
 * Loads `url` in `page` and answers when `selector` was first painted (ms after navigation start: the frame after it
 * appeared), and the longest task from navigation until 5 s after that, and after it only (the rest of the list loads meanwhile).
 */
async function timeFirstPaint(page: Page, url: string, selector: string): Promise<Timing> {
  await page.goto(url, { waitUntil: 'commit' })
  // A string: the e2e code is typed without the DOM's types. It polls for the selector every few ms in the page
  // (a long task delays the poll as it delays the paint), then waits for the next frame (or 1 s, for a page that gets
  // none) and counts long tasks for 5 s more.
  return page.evaluate<Timing>(`(async () => {
    const state = { appeared: -1, longest: 0, longestAfter: 0 }
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        state.longest = Math.max(state.longest, entry.duration)
        if (state.appeared >= 0 && entry.startTime >= state.appeared) state.longestAfter = Math.max(state.longestAfter, entry.duration)
      }
    }).observe({ type: 'longtask', buffered: true })
    const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
    while (!document.querySelector(${JSON.stringify(selector)})) await pause(5)
    state.appeared = performance.now()
    await Promise.race([new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))), pause(1000)])
    const painted = performance.now()
    await pause(5000)
    return { paintedMs: painted, longestTaskMs: state.longest, longestAfterPaintMs: state.longestAfter }
  })()`)
}
