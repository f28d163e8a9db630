import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { expect, test } from './chat-app'

// Issue 11, item 3: Ctrl/Cmd+K searches every chat; a prefix of a word in an older chat finds it, under the chat's
// title, with the word marked; Enter opens that chat with the message in view. It is all IndexedDB: it works after
// a reload too.

const CHATGPT = fileURLToPath(new URL('../fixtures/imports/chatgpt-conversations.json', import.meta.url))

/** Chooses a file through the sidebar's Import button, as a person would. */
async function importFile(page: Page, name: string, text: string): Promise<void> {
  const choosing = page.waitForEvent('filechooser')
  await page.getByTestId('import-button').click()
  await (await choosing).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) })
}

test('Ctrl+K finds a word in an older chat by its prefix, and Enter opens that chat at the message', async ({ chat }) => {
  // An import, a turn and a reload: more than the default 30 s on a loaded 2-core machine.
  test.setTimeout(120_000)
  const { page } = chat
  await chat.open()
  // An older chat, imported from ChatGPT ("Sourdough help", from 2024), then a new one written here.
  await importFile(page, 'conversations.json', readFileSync(CHATGPT, 'utf8'))
  await expect(page.getByTestId('transfer-status')).toHaveText('Imported 2 chats (6 messages).')
  await page.getByTestId('transfer-close').click()
  await page.keyboard.press('Control+n')
  await expect(page.getByTestId('message')).toHaveCount(0)
  await chat.send('What should I name my cat?')
  await chat.waitForAnswers(1)
  await expect(page.locator('.chat-title')).not.toHaveText('Sourdough help')

  const dialog = page.getByTestId('search-dialog')
  const search = async (query: string): Promise<void> => {
    await page.keyboard.press('Control+k')
    await expect(dialog).toBeVisible()
    await page.keyboard.type(query)
  }

  await search('ACET')
  const group = dialog.getByTestId('search-chat')
  await expect(group).toHaveCount(1)
  await expect(group).toHaveAttribute('aria-label', 'Sourdough help')
  await expect(group).toContainText('Sourdough help')
  const hit = group.getByTestId('search-hit')
  await expect(hit).toHaveCount(1)
  await expect(hit).toContainText('That acetone smell means it needs feeding more often.')
  await expect(hit.locator('mark')).toHaveText(['acet'])
  await expect(hit).toHaveAttribute('aria-selected', 'true')

  // Esc closes without opening anything; nothing matches a word nobody wrote.
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await search('zebra')
  await expect(dialog.getByText('No message matches “zebra”.')).toBeVisible()
  await page.keyboard.press('Escape')

  // After a reload (nothing but IndexedDB), a word in two messages of that chat: Down chooses the second, Enter opens it.
  await page.reload()
  await expect(page.getByTestId('composer-input')).toBeVisible()
  await search('feed')
  // Both branches of that chat are searched: the feeding answer, two prompts, and the answer shown.
  await expect(dialog.getByTestId('search-hit')).toHaveCount(4)
  await expect(dialog.getByTestId('search-hit').first()).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowDown')
  await expect(dialog.getByTestId('search-hit').nth(1)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowUp')
  const newest = dialog.getByTestId('search-hit').first()
  await expect(newest).toContainText('In a warm kitchen, feed it twice a day')
  await page.keyboard.press('Enter')
  await expect(dialog).toHaveCount(0)
  await expect(page.locator('.chat-title')).toHaveText('Sourdough help')
  await expect(page.getByTestId('message').filter({ hasText: 'In a warm kitchen, feed it twice a day' })).toBeVisible()
})

test('Ctrl+K finds a word inside Chinese and Japanese text, which is written without spaces', async ({ chat }) => {
  test.setTimeout(60_000)
  const { page } = chat
  await chat.open()
  await chat.send('我喜欢用本地模型写代码')
  await chat.waitForAnswers(1)
  await chat.send('今日はローカルモデルを使います')
  await chat.waitForAnswers(2)

  const dialog = page.getByTestId('search-dialog')
  for (const [word, prompt] of [
    ['模型', '我喜欢用本地模型写代码'],
    ['モデル', '今日はローカルモデルを使います']
  ] as const) {
    await page.keyboard.press('Control+k')
    await expect(dialog).toBeVisible()
    await page.keyboard.type(word)
    const hit = dialog.getByTestId('search-hit')
    await expect(hit).toHaveCount(1)
    await expect(hit).toContainText(prompt)
    await expect(hit.locator('mark')).toHaveText([word])
    await page.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
  }
})

test('Ctrl+Shift+P still opens the command palette', async ({ chat }) => {
  const { page } = chat
  await chat.open()
  await page.keyboard.press('Control+Shift+P')
  await expect(page.getByTestId('command-palette')).toBeVisible()
  await expect(page.getByTestId('command-palette').getByRole('option', { name: /Search all chats/ })).toBeVisible()
})
