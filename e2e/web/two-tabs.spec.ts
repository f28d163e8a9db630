import { WebSocket } from 'ws'
import type { Page } from '@playwright/test'
import type { HistoryPage, Message } from '../../src/shared'
import { createWsClient } from '../../src/renderer/src/bridge/ws-client'
import { transcript } from '../fixtures/chat-window'
import { expect, test, type ChatPage } from './chat-app'

// Parley open in two tabs of one browser: one origin, so one IndexedDB, with two windows applying main's events into
// it, each over its own WebSocket. Prompts queued from both, one tab reloaded mid-answer: both show the same chat,
// every prompt answered once, and IndexedDB holds what main holds.

const shown = async (page: Page): Promise<string[]> => (await transcript(page)).map((message) => `${message.role}: ${message.text}`)

/** Every message main's log holds, read over the bridge as a rebuild reads it. */
async function mainMessages(chat: ChatPage): Promise<Message[]> {
  const address = new URL(chat.url)
  const token = new URLSearchParams(address.hash.slice(1)).get('token') ?? ''
  const api = createWsClient({ url: `ws://${address.host}/parley`, token, WebSocketImpl: WebSocket })
  try {
    const messages: Message[] = []
    for (let page: HistoryPage | undefined; !page || page.next; ) {
      page = await api.historySnapshot({ cursor: page?.next ?? null })
      messages.push(...page.messages.map(({ message }) => message))
    }
    return messages
  } finally {
    api.close()
  }
}

const rowsOf = (messages: readonly Message[]): string[] =>
  messages.map((m) => `${m.role} ${m.status} ${m.parts.map((part) => ('text' in part ? part.text : '')).join('')}`.trim()).sort()

test('two tabs: prompts queued from both, one reloaded mid-answer — the same chat in both, one answer each, IndexedDB as main', async ({
  chat,
  scripted
}) => {
  test.setTimeout(60_000)
  const streamed = ['One ', 'two ', 'three ', 'four ', 'five.']
  scripted.answer((prompt) => (prompt === 'count' ? { tokens: streamed, gate: 'mid', gateAfterTokens: 3 } : { text: `Answer to ${prompt}.` }))
  const a = chat.page
  await chat.open()
  const b = await a.context().newPage()
  await b.goto(chat.url)

  await chat.send('count')
  await scripted.waitForGate('mid')
  const chatId = await a.locator('.session-item.selected').getAttribute('data-session-id')
  await b.locator(`[data-session-id="${chatId}"] .session-open`).click()
  const answering = (page: Page) => page.locator('[data-role="assistant"][data-status="streaming"] [data-testid="message-text"]')
  await expect(answering(b)).toHaveText('One two three')

  // Queued from each tab: both tabs show both chips, in order.
  await chat.send('from A')
  const input = b.getByTestId('composer-input')
  await input.fill('from B')
  await input.press('Enter')
  await expect(input).toHaveValue('')
  for (const page of [a, b]) await expect(page.getByTestId('queued-chip')).toHaveText([/from A/, /from B/])

  // A reloaded mid-answer, B still open: A takes the answer up again, its text there once, and the chips too.
  await a.reload()
  await expect(answering(a)).toHaveText('One two three')
  await expect(a.getByTestId('queued-chip')).toHaveText([/from A/, /from B/])

  scripted.release('mid')
  const whole = ['user: count', 'assistant: One two three four five.', 'user: from A', 'assistant: Answer to from A.', 'user: from B', 'assistant: Answer to from B.']
  for (const page of [a, b]) {
    await expect.poll(() => shown(page), { timeout: 15_000 }).toEqual(whole)
    await expect(page.getByTestId('queued-chip')).toHaveCount(0)
  }
  // Each prompt was asked once and answered once.
  expect(scripted.chatRequests().map((request) => request.messages.at(-1)?.content)).toEqual(['count', 'from A', 'from B'])

  // The one IndexedDB both tabs write holds exactly main's history: no message twice, none missing, none left streaming.
  const main = await mainMessages(chat)
  expect(rowsOf(main)).toHaveLength(6)
  await expect.poll(async () => rowsOf(((await chat.storedTables())['messages'] ?? []) as Message[])).toEqual(rowsOf(main))
})

test('two tabs: one rebuilds IndexedDB from main while the other is open — the other lets go, reloads, and shows every chat', async ({
  chat
}) => {
  test.setTimeout(60_000)
  const a = chat.page
  await chat.open()
  for (const prompt of ['first chat', 'second chat']) {
    await a.getByTestId('new-session').click()
    await chat.send(prompt)
    await expect(a.locator('[data-role="assistant"][data-status="finished"]')).toHaveCount(1)
  }
  const b = await a.context().newPage()
  await b.goto(chat.url)
  await expect(b.getByTestId('session-item')).toHaveCount(2)

  // Main can no longer replay what A's IndexedDB lacks (as when another tab's commit left lastAppliedSeq below main's
  // acks): A's next start rebuilds it from main, emptying the tables B reads.
  await a.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('parley')
        open.onerror = () => reject(new Error('IndexedDB could not be opened'))
        open.onsuccess = () => {
          const transaction = open.result.transaction(['meta'], 'readwrite')
          transaction.objectStore('meta').put({ key: 'lastAppliedSeq', value: 0 })
          transaction.oncomplete = () => {
            open.result.close()
            resolve()
          }
        }
      })
  )
  const reloaded = b.waitForEvent('load', { timeout: 20_000 })
  await a.reload()
  await expect(a.getByTestId('session-item')).toHaveCount(2)
  // B let go of the database when A started emptying it, and reloaded once A was done: before, its live queries never
  // heard the rebuild's rows, and it showed no chats at all.
  await reloaded
  await expect(b.getByTestId('session-item')).toHaveCount(2)
  await b.getByTestId('session-item').first().locator('.session-open').click()
  await expect(b.getByTestId('message')).toHaveCount(2)
})
