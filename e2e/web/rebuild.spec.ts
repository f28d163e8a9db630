import { readIndexedDb } from '../fixtures/indexeddb'
import { transcript, waitForAnswers } from '../fixtures/chat-window'
import { test, expect } from './chat-app'

// architecture.md: "If IndexedDB is lost (site data cleared, a new profile, a damaged database), the window rebuilds
// it from main's log: nothing is lost." A new browser context is a new profile: the same address and token, an empty
// IndexedDB, and main still running with its session log.

interface Row {
  id: string
  seq: number
  [field: string]: unknown
}

/** A row without its seq watermark: the rebuild stamps every row with the snapshot's seq, events with their own. */
const withoutSeq = ({ seq: _seq, ...rest }: Row): Record<string, unknown> => rest
const byId = (a: Row, b: Row): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

test('a window with an empty IndexedDB gets every chat and message back from main, once, and can go on with them', async ({
  chat,
  scripted,
  browser
}) => {
  let titles = 0
  scripted.server.setDefault((request) => {
    const body = request.body as { model?: string; messages?: { content: string }[] }
    if (body.model === 'small') return { text: `Chat ${++titles}` }
    return { text: `Re: ${body.messages?.at(-1)?.content ?? ''}` }
  })
  const { page } = chat
  await chat.open()
  await chat.send('alpha one')
  await chat.waitForAnswers(1)
  await chat.send('alpha two')
  await chat.waitForAnswers(2)
  await page.getByTestId('new-session').click()
  await chat.send('beta one')
  await chat.waitForAnswers(1)
  await expect(page.getByTestId('session-title')).toHaveText(['Chat 2', 'Chat 1'])
  const before = await chat.storedTables()
  expect(before['sessions']).toHaveLength(2)
  expect(before['messages']).toHaveLength(6)
  await page.close()

  // A new profile: the same Parley, nothing in this browser's storage.
  const profile = await browser.newContext()
  try {
    const fresh = await profile.newPage()
    const sent: string[] = []
    fresh.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        if (typeof payload === 'string') sent.push(payload)
      })
    )
    await fresh.goto(chat.url)
    const rows = fresh.getByTestId('session-item')
    await expect(rows).toHaveCount(2)
    await expect(fresh.getByTestId('session-title')).toHaveText(['Chat 2', 'Chat 1'])
    await expect.poll(async () => ((await readIndexedDb(fresh))['messages'] ?? []).length).toBe(6)

    const after = await readIndexedDb(fresh)
    const sessions = (after['sessions'] ?? []) as Row[]
    const messages = (after['messages'] ?? []) as Row[]
    // Exactly once each, and the same rows the first window had (the seq watermarks aside).
    expect(new Set(messages.map((m) => m.id)).size).toBe(6)
    expect(messages.sort(byId).map(withoutSeq)).toEqual(((before['messages'] ?? []) as Row[]).sort(byId).map(withoutSeq))
    expect(sessions.map((s) => [s.id, s['title']]).sort()).toEqual(
      ((before['sessions'] ?? []) as Row[]).map((s) => [s.id, s['title']]).sort()
    )
    const meta = (after['meta'] ?? []) as { key: string; value: number }[]
    expect(meta.find((row) => row.key === 'lastAppliedSeq')?.value).toBeGreaterThan(0)
    expect(meta.find((row) => row.key === 'restorePending')).toBeUndefined()
    // The rows came from main's log, not from a replay of the broker's retained events: the window asked for the
    // snapshot, then subscribed from its seq (so nothing at or before it was replayed).
    const frames = sent.map((text) => JSON.parse(text) as { kind: string; method?: string; since?: number })
    expect(frames.filter((frame) => frame.method === 'historySnapshot').length).toBeGreaterThan(0)
    const firstSubscribe = frames.findIndex((frame) => frame.kind === 'subscribe')
    expect(frames[firstSubscribe]?.since).toBeGreaterThan(0)
    expect(frames.findIndex((frame) => frame.method === 'historySnapshot')).toBeLessThan(firstSubscribe)

    // The restored chat reads as it did, and a new prompt in it carries the whole conversation to the model.
    await rows.filter({ hasText: 'Chat 1' }).click()
    await waitForAnswers(fresh, 2)
    expect((await transcript(fresh)).map((m) => m.text)).toEqual(['alpha one', 'Re: alpha one', 'alpha two', 'Re: alpha two'])
    const input = fresh.getByTestId('composer-input')
    await input.fill('alpha three')
    await input.press('Enter')
    await waitForAnswers(fresh, 3)
    const request = scripted.chatRequests().at(-1)
    expect(request?.messages.filter((m) => m.role !== 'system').map((m) => [m.role, m.content])).toEqual([
      ['user', 'alpha one'],
      ['assistant', 'Re: alpha one'],
      ['user', 'alpha two'],
      ['assistant', 'Re: alpha two'],
      ['user', 'alpha three']
    ])
    // Nothing came back twice: the answer is the only new message.
    await expect.poll(async () => ((await readIndexedDb(fresh))['messages'] ?? []).length).toBe(8)
    await expect(fresh.locator('[data-notice="restore"]')).toHaveCount(0)
  } finally {
    await profile.close()
  }
})
