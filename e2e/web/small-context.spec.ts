import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chatModel } from '../fixtures/scripted-models'
import type { ScriptedServer } from '../fixtures/scripted-server'
import { expect, test, type ChatPage } from './chat-app'

// B2 with a local server started with a small context (llama.cpp's `-c 2000`): Parley's settings say 8,192 tokens, so
// a long chat's first request is refused with llama.cpp's 400; the turn sends it again with less history, fitted to
// the size the server named, and the answer comes, in the window, as for any prompt.

const CHAT = 'long-context'

/** A parley.chats archive of one chat of `count` messages of about 400 characters each (~100 tokens). */
function archive(count: number): string {
  const base = Date.UTC(2025, 0, 1)
  const messages = Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    parentId: i === 0 ? null : `m${i - 1}`,
    role: i % 2 === 0 ? 'user' : 'assistant',
    parts: [{ type: 'text', text: `Message ${i}: ${'lorem ipsum dolor sit amet '.repeat(15)}` }],
    createdAt: base + i * 1000
  }))
  const chat = { id: CHAT, title: 'A long chat', createdAt: base, updatedAt: base + count * 1000, leafId: `m${count - 1}`, messages }
  return JSON.stringify({ format: 'parley.chats', version: 1, exportedAt: base + count * 1000, chats: [chat] })
}

async function importLongChat(chat: ChatPage): Promise<void> {
  const { page } = chat
  const choosing = page.waitForEvent('filechooser')
  await page.getByTestId('import-button').click()
  await (await choosing).setFiles({ name: 'long.parley.json', mimeType: 'application/json', buffer: Buffer.from(archive(60)) })
  await expect(page.getByTestId('transfer-status')).toHaveText('Imported 1 chat (60 messages).', { timeout: 30_000 })
  await page.getByTestId('transfer-close').click()
  await page.getByTestId('session-item').filter({ hasText: 'A long chat' }).click()
  await expect(page.getByTestId('message').filter({ hasText: 'Message 59:' })).toBeVisible()
}

type Sent = { role: string; content: unknown }[]

/** The messages of each completion request the answering model got since `from` (not the titles model's). */
const completionsSince = (server: ScriptedServer, from: number): Sent[] =>
  server.requests
    .slice(from)
    .filter((request) => request.path.endsWith('/chat/completions') && (request.body as { model?: string }).model === chatModel)
    .map((request) => (request.body as { messages: Sent }).messages)

const tokensIn = (messages: Sent): number => JSON.stringify(messages).length / 4

/** Sends `prompt` in the open chat and waits for its answer (with no error): the completion requests it took. */
async function askAndWait(chat: ChatPage, server: ScriptedServer, prompt: string, noError = true): Promise<Sent[]> {
  const before = server.requests.length
  await chat.send(prompt)
  await expect(chat.page.getByTestId('message').filter({ hasText: `Answered: ${prompt}` })).toBeVisible({ timeout: 30_000 })
  if (noError) await expect(chat.page.getByTestId('message-error')).toHaveCount(0)
  return completionsSince(server, before)
}

test('a server with a smaller context than the settings say: the refused request is sent again with less of the chat, and the answer comes', async ({ chat, scripted }) => {
  scripted.answer((prompt) => ({ text: `Answered: ${prompt}` }))
  await chat.open()
  await importLongChat(chat)

  scripted.server.limitContext(2000)
  const completions = await askAndWait(chat, scripted.server, 'What did we say?')
  // The first, with as much of the chat as 8,192 tokens hold, was refused; the one answered holds less, ends with the
  // prompt, and starts with a user message (after the system prompt, if any).
  expect(completions.length).toBeGreaterThanOrEqual(2)
  const [refused, answered] = [completions[0] ?? [], completions.at(-1) ?? []]
  expect(tokensIn(refused)).toBeGreaterThan(2000)
  expect(tokensIn(answered)).toBeLessThanOrEqual(2000)
  expect(answered.length).toBeLessThan(refused.length)
  expect(answered.at(-1)).toMatchObject({ role: 'user', content: 'What did we say?' })
  expect(answered.find((message) => message.role !== 'system')?.role).toBe('user')
})

test('the context window set in Settings: the request fits the server at once, and a bad number is named, not saved', async ({ chat, scripted }) => {
  scripted.answer((prompt) => ({ text: `Answered: ${prompt}` }))
  const { page } = chat
  await chat.open()
  await importLongChat(chat)
  scripted.server.limitContext(2000)

  await page.getByTestId('settings-button').click()
  await page.getByTestId('settings-context-window').fill('lots')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-feedback')).toContainText('The context window must be a whole number of tokens')
  await page.getByTestId('settings-context-window').fill('2,000')
  await page.getByTestId('settings-max-answer').fill('400')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.')
  await page.getByTestId('settings-close').click()
  const saved = JSON.parse(readFileSync(join(chat.dataDir, 'settings.json'), 'utf8')) as { models: { large: { contextWindow: number; maxOutputTokens: number } } }
  expect(saved.models.large).toMatchObject({ contextWindow: 2000, maxOutputTokens: 400 })

  const completions = await askAndWait(chat, scripted.server, 'And now?', false)
  expect(completions).toHaveLength(1)
  expect(tokensIn(completions[0] ?? [])).toBeLessThanOrEqual(2000)
})

test('B2: the context llama.cpp says it was started with (GET /props) sizes the first request: no refusal first', async ({ chat, scripted }) => {
  scripted.answer((prompt) => ({ text: `Answered: ${prompt}` }))
  const { page } = chat
  await chat.open()
  await importLongChat(chat)
  scripted.server.serveContext({ engine: 'llama.cpp', size: 2000 })
  scripted.server.limitContext(2000)

  const before = scripted.server.requests.length
  const completions = await askAndWait(chat, scripted.server, 'What did we say?')
  expect(completions).toHaveLength(1)
  expect(tokensIn(completions[0] ?? [])).toBeLessThanOrEqual(2000)
  expect(completions[0]?.at(-1)).toMatchObject({ role: 'user', content: 'What did we say?' })
  expect(scripted.server.requests.slice(before).some((request) => request.path === '/props')).toBe(true)

  // Settings says it where the context window is set.
  await page.getByTestId('settings-button').click()
  await expect(page.getByTestId('settings-served-context')).toHaveText(
    `The server runs ${chatModel} with 2,000 tokens of context: Parley sends no more than that.`
  )
})
