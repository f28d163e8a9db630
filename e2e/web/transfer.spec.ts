import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from '@playwright/test'
import { transcript } from '../fixtures/chat-window'
import { chatModel, titleModel } from '../fixtures/scripted-models'
import { expect, test, type ChatPage } from './chat-app'
import { startWebApp, stopWebApp } from './web-app'

// Issue 10, "Export and import": a chat exported as JSON imports into a fresh data folder as the same tree; a damaged
// file changes nothing and is named; ChatGPT's conversations.json imports; Markdown is the branch shown.

const CHATGPT = fileURLToPath(new URL('../fixtures/imports/chatgpt-conversations.json', import.meta.url))

const messages = (page: Page): Locator => page.getByTestId('message')
const texts = async (page: Page): Promise<string[]> => (await transcript(page)).map((message) => `${message.role}: ${message.text}`)

interface Archive {
  format: string
  version: number
  exportedAt: number
  chats: { id: string; updatedAt: number; leafId: string | null; messages: { id: string; parentId: string | null }[] }[]
}

/** Runs one of the header's Export choices and answers the downloaded file's name and text. */
async function exportFrom(page: Page, choice: 'export-json' | 'export-markdown' | 'export-all'): Promise<{ name: string; text: string }> {
  await page.getByTestId('export-menu').click()
  const downloading = page.waitForEvent('download')
  await page.getByTestId(choice).click()
  const download = await downloading
  const path = await download.path()
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') }
}

/** Chooses a file through the sidebar's Import button, as a person would. */
async function importFile(page: Page, name: string, text: string): Promise<void> {
  const choosing = page.waitForEvent('filechooser')
  await page.getByTestId('import-button').click()
  await (await choosing).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) })
}

/** one → Answer 1, two → Answer 2, then "two" regenerated (Answer 3) and switched back: the shown leaf is not the newest. */
async function branchedChat(chat: ChatPage): Promise<void> {
  const { page } = chat
  await chat.open()
  await chat.send('one')
  await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.'])
  await chat.send('two')
  await expect.poll(() => texts(page)).toHaveLength(4)
  await messages(page).nth(3).getByRole('button', { name: 'Regenerate' }).click()
  await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 3 to two.'])
  await messages(page).nth(3).getByRole('button', { name: 'Previous version' }).click()
  await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 2 to two.'])
}

/** The archive without its times of export and of last activity (the window counts the import as activity). */
const withoutTime = (archive: Archive): unknown => {
  const { exportedAt: _exportedAt, chats, ...rest } = archive
  return { ...rest, chats: chats.map(({ updatedAt: _updatedAt, ...chat }) => chat) }
}

test.describe('export and import', () => {
  test.beforeEach(({ scripted }) => {
    let answers = 0
    scripted.answer((prompt) => ({ text: `Answer ${++answers} to ${prompt}.` }))
  })

  test('a chat exported as JSON imports into a fresh data folder as the same tree, and a second import adds nothing', async ({
    chat,
    scripted,
    browser
  }) => {
    // Two app instances, two chats' worth of turns, an export and two imports: well past 30 s on a loaded machine.
    test.slow()
    await branchedChat(chat)
    const exported = await exportFrom(chat.page, 'export-json')
    expect(exported.name).toMatch(/\.parley\.json$/)
    const archive = JSON.parse(exported.text) as Archive
    expect(archive).toMatchObject({ format: 'parley.chats', version: 1 })
    expect(archive.chats[0]?.messages).toHaveLength(5)

    const fresh = await startWebApp({ PARLEY_PROVIDER_URL: scripted.server.url, PARLEY_MODEL: chatModel, PARLEY_SMALL_MODEL: titleModel })
    const page = await browser.newPage()
    try {
      await page.goto(fresh.url)
      await expect(page.getByTestId('composer-input')).toBeVisible()
      await importFile(page, exported.name, exported.text)
      await expect(page.getByTestId('transfer-status')).toHaveText('Imported 1 chat (5 messages).')
      await page.getByTestId('transfer-close').click()
      await page.getByTestId('session-item').first().click()
      await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 2 to two.'])
      await expect(messages(page).nth(3).getByTestId('branch-position')).toHaveText('1/2')
      // The same tree: exported again from the new window, it is the file it came from.
      const again = await exportFrom(page, 'export-json')
      expect(withoutTime(JSON.parse(again.text) as Archive)).toEqual(withoutTime(archive))

      await importFile(page, exported.name, exported.text)
      await expect(page.getByTestId('transfer-status')).toHaveText('Nothing new: the chat was already here.')
      await page.getByTestId('transfer-close').click()
      await expect(page.getByTestId('session-item')).toHaveCount(1)

      // The imported chat goes on from the branch shown, with its context.
      await page.getByTestId('composer-input').fill('three')
      await page.getByTestId('composer-input').press('Enter')
      await expect.poll(() => texts(page)).toHaveLength(6)
      const sent = (scripted.chatRequests().at(-1)?.messages ?? []).filter((m) => m.role !== 'system').map((m) => `${m.role}: ${m.content}`)
      expect(sent).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 2 to two.', 'user: three'])
    } finally {
      await page.close()
      await stopWebApp(fresh.server)
    }
  })

  test('a damaged file changes nothing and the problem is named; a file that is not JSON says so', async ({ chat }) => {
    const { page } = chat
    await branchedChat(chat)
    const archive = JSON.parse((await exportFrom(page, 'export-json')).text) as Archive
    const before = await chat.storedTables()
    const damaged = { ...archive, chats: [{ ...archive.chats[0]!, id: 'another-chat', leafId: 'nowhere' }] }
    await importFile(page, 'damaged.json', JSON.stringify(damaged))
    await expect(page.getByTestId('import-problems')).toContainText('chats[0].leafId: leaf nowhere is not a message of this chat')
    await page.getByTestId('transfer-close').click()

    await importFile(page, 'notes.json', '# not JSON at all')
    await expect(page.getByTestId('import-problems')).toContainText('The file is not JSON')
    await page.getByTestId('transfer-close').click()
    await expect(page.getByTestId('session-item')).toHaveCount(1)
    const after = await chat.storedTables()
    expect(after['sessions']).toEqual(before['sessions'])
    expect(after['messages']).toEqual(before['messages'])
  })

  test('a file from a newer Parley says so; an empty ChatGPT export says it has no chats', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    await importFile(page, 'newer.parley.json', JSON.stringify({ format: 'parley.chats', version: 3, exportedAt: 1, chats: [] }))
    await expect(page.getByTestId('import-problems')).toHaveText(
      'This file was exported by a newer Parley (format version 3); this one reads version 1 and 2.'
    )
    await page.getByTestId('transfer-close').click()
    await importFile(page, 'conversations.json', '[]')
    await expect(page.getByTestId('transfer-status')).toHaveText('The file has no chats: nothing was imported.')
    await expect(page.getByTestId('import-problems')).toHaveCount(0)
  })

  test('a ChatGPT export imports and shows its current branch', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    await importFile(page, 'conversations.json', readFileSync(CHATGPT, 'utf8'))
    await expect(page.getByTestId('transfer-status')).toHaveText('Imported 2 chats (6 messages).')
    await page.getByTestId('transfer-close').click()
    await page.getByTestId('session-item').filter({ hasText: 'Sourdough help' }).click()
    await expect
      .poll(() => texts(page))
      .toEqual([
        'user: My sourdough starter smells like nail polish. Is it dead?',
        'assistant: Not dead: hungry. That acetone smell means it needs feeding more often.',
        'user: [image not imported]\n\nHere is a photo of it. How often should I feed it in a warm kitchen?',
        'assistant: In a warm kitchen, feed it twice a day: morning and evening.'
      ])
    await expect(messages(page).nth(2).getByTestId('branch-position')).toHaveText('2/2')
  })

  test('export as Markdown downloads the branch shown', async ({ chat }) => {
    const { page } = chat
    await branchedChat(chat)
    await messages(page).nth(3).getByRole('button', { name: 'Next version' }).click()
    await expect.poll(() => texts(page)).toContain('assistant: Answer 3 to two.')
    const markdown = await exportFrom(page, 'export-markdown')
    expect(markdown.name).toMatch(/\.md$/)
    expect(markdown.text).toContain('## You\n\ntwo\n\n## Assistant (large)\n\nAnswer 3 to two.')
    expect(markdown.text).not.toContain('Answer 2 to two.')
  })
})
