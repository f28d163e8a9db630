import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { readIndexedDb } from '../fixtures/indexeddb'
import { sendPrompt, transcript, waitForAnswers } from '../fixtures/chat-window'
import { chatModel, titleModel, type ScriptedModels } from '../fixtures/scripted-models'
import { test, expect } from './chat-app'
import { startWebApp, stopWebApp } from './web-app'

// architecture.md: "If IndexedDB is lost (site data cleared, a new profile, a damaged database), the window rebuilds
// it from main's log: nothing is lost." A new browser context is a new profile: the same address and token, an empty
// IndexedDB, and main still running with its session log.

interface Row {
  id: string
  seq: number
  [field: string]: unknown
}

type Tables = Record<string, unknown[]>

/** A row without its seq watermark: the rebuild stamps every row with the snapshot's seq, events with their own. */
const withoutSeq = ({ seq: _seq, ...rest }: Row): Record<string, unknown> => rest
const byId = (a: Row, b: Row): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
const rowsOf = (tables: Tables, name: string): Row[] => (tables[name] ?? []) as Row[]

/** Each chat gets its own title (Chat 1, Chat 2), and every prompt an answer that names it. */
function answerEverything(scripted: ScriptedModels): void {
  let titles = 0
  scripted.server.setDefault((request) => {
    const body = request.body as { model?: string; messages?: { content: string }[] }
    if (body.model === 'small') return { text: `Chat ${++titles}` }
    return { text: `Re: ${body.messages?.at(-1)?.content ?? ''}` }
  })
}

/** Two prompts in one chat and one in another, answered; returns the page's IndexedDB. */
async function fillTwoChats(page: Page): Promise<Tables> {
  await sendPrompt(page, 'alpha one')
  await waitForAnswers(page, 1)
  await sendPrompt(page, 'alpha two')
  await waitForAnswers(page, 2)
  await page.getByTestId('new-session').click()
  await sendPrompt(page, 'beta one')
  await waitForAnswers(page, 1)
  await expect(page.getByTestId('session-title')).toHaveText(['Chat 2', 'Chat 1'])
  const tables = await readIndexedDb(page)
  expect(rowsOf(tables, 'sessions')).toHaveLength(2)
  expect(rowsOf(tables, 'messages')).toHaveLength(6)
  return tables
}

/** The frames a page sends over its WebSocket, as JSON. */
function recordFramesSent(page: Page): { kind: string; method?: string; since?: number }[] {
  const sent: { kind: string; method?: string; since?: number }[] = []
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') sent.push(JSON.parse(payload) as { kind: string })
    })
  )
  return sent
}

/**
 * The new window has every chat and message of the old one exactly once (the same rows, seq watermarks aside), took
 * them from main's snapshot before it subscribed after its seq, and goes on with a restored chat: the model gets the
 * whole conversation.
 */
async function expectRestored(
  fresh: Page,
  before: Tables,
  sent: { kind: string; method?: string; since?: number }[],
  scripted: ScriptedModels
): Promise<void> {
  const rows = fresh.getByTestId('session-item')
  await expect(rows).toHaveCount(2)
  await expect(fresh.getByTestId('session-title')).toHaveText(['Chat 2', 'Chat 1'])
  await expect.poll(async () => rowsOf(await readIndexedDb(fresh), 'messages').length).toBe(6)

  const after = await readIndexedDb(fresh)
  const messages = rowsOf(after, 'messages')
  expect(new Set(messages.map((m) => m.id)).size).toBe(6)
  expect(messages.sort(byId).map(withoutSeq)).toEqual(rowsOf(before, 'messages').sort(byId).map(withoutSeq))
  const titles = (tables: Tables): unknown[] => rowsOf(tables, 'sessions').map((s) => [s.id, s['title']]).sort()
  expect(titles(after)).toEqual(titles(before))
  const meta = (after['meta'] ?? []) as { key: string; value: number }[]
  expect(meta.find((row) => row.key === 'lastAppliedSeq')?.value).toBeGreaterThan(0)
  expect(meta.find((row) => row.key === 'restorePending')).toBeUndefined()
  // The window asked for the snapshot, then subscribed from its seq (so nothing at or before it was replayed).
  const firstSubscribe = sent.findIndex((frame) => frame.kind === 'subscribe')
  expect(sent[firstSubscribe]?.since).toBeGreaterThan(0)
  const firstSnapshot = sent.findIndex((frame) => frame.method === 'historySnapshot')
  expect(firstSnapshot).toBeGreaterThanOrEqual(0)
  expect(firstSnapshot).toBeLessThan(firstSubscribe)

  await rows.filter({ hasText: 'Chat 1' }).click()
  await waitForAnswers(fresh, 2)
  expect((await transcript(fresh)).map((m) => m.text)).toEqual(['alpha one', 'Re: alpha one', 'alpha two', 'Re: alpha two'])
  await sendPrompt(fresh, 'alpha three')
  await waitForAnswers(fresh, 3)
  const request = scripted.chatRequests().at(-1)
  expect(request?.messages.filter((m) => m.role !== 'system').map((m) => [m.role, m.content])).toEqual([
    ['user', 'alpha one'],
    ['assistant', 'Re: alpha one'],
    ['user', 'alpha two'],
    ['assistant', 'Re: alpha two'],
    ['user', 'alpha three']
  ])
  // Nothing came back twice: the prompt and its answer are the only new messages.
  await expect.poll(async () => rowsOf(await readIndexedDb(fresh), 'messages').length).toBe(8)
  await expect(fresh.locator('[data-notice="restore"]')).toHaveCount(0)
}

test('a new profile on a running Parley gets every chat and message back from main, once, and can go on with them', async ({
  chat,
  scripted,
  browser
}) => {
  answerEverything(scripted)
  await chat.open()
  const before = await fillTwoChats(chat.page)
  await chat.page.close()

  const profile = await browser.newContext()
  try {
    const fresh = await profile.newPage()
    const sent = recordFramesSent(fresh)
    await fresh.goto(chat.url)
    await expectRestored(fresh, before, sent, scripted)
  } finally {
    await profile.close()
  }
})

test('after main restarts, its broker holds none of the old events: a window with an empty IndexedDB still gets them all', async ({
  scripted,
  browser
}) => {
  answerEverything(scripted)
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-rebuild-'))
  const env = {
    PARLEY_DATA_DIR: dataDir,
    PARLEY_PROVIDER_URL: scripted.server.url,
    PARLEY_MODEL: chatModel,
    PARLEY_SMALL_MODEL: titleModel
  }
  const first = await startWebApp(env)
  let before: Tables
  try {
    const profile = await browser.newContext()
    const page = await profile.newPage()
    const sent = recordFramesSent(page)
    await page.goto(first.url)
    before = await fillTwoChats(page)
    // Everything is acknowledged, so main's journal lets every event go: after the restart, only the log has them.
    const applied = (before['meta'] as { key: string; value: number }[]).find((row) => row.key === 'lastAppliedSeq')?.value ?? 0
    await expect
      .poll(() => Math.max(0, ...sent.filter((f) => f.method === 'ack').map((f) => (f as { args?: number[] }).args?.[0] ?? 0)))
      .toBeGreaterThanOrEqual(applied)
    await profile.close()
  } finally {
    await stopWebApp(first.server)
  }

  // The same data folder, a new port: a new origin, so a new, empty IndexedDB too.
  const second = await startWebApp(env)
  const profile = await browser.newContext()
  try {
    const fresh = await profile.newPage()
    const sent = recordFramesSent(fresh)
    await fresh.goto(second.url)
    await expectRestored(fresh, before, sent, scripted)
  } finally {
    await profile.close()
    await stopWebApp(second.server)
    rmSync(dataDir, { recursive: true, force: true })
  }
})
