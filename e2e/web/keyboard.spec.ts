import type { Locator, Page } from '@playwright/test'
import { transcript } from '../fixtures/chat-window'
import { expect, test, type ChatPage } from './chat-app'

// Issue 10, "Keyboard": one registry of commands feeds the shortcuts, the command palette and the `?` sheet.

const messages = (page: Page): Locator => page.getByTestId('message')
const texts = async (page: Page): Promise<string[]> => (await transcript(page)).map((message) => `${message.role}: ${message.text}`)

async function twoTurns(chat: ChatPage): Promise<void> {
  await chat.open()
  await chat.send('one')
  await chat.waitForAnswers(1)
  await chat.send('two')
  await expect.poll(() => texts(chat.page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 2 to two.'])
}

test.describe('keyboard', () => {
  test.beforeEach(({ scripted }) => {
    let answers = 0
    scripted.answer((prompt) => (prompt === 'slow' ? { text: 'Slow.', gate: 'slow' } : { text: `Answer ${++answers} to ${prompt}.` }))
  })

  test('? shows every shortcut outside a text field, but types a ? in the composer; Esc closes the sheet', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    const composer = page.getByTestId('composer-input')
    await composer.click()
    await page.keyboard.type('why?')
    await expect(composer).toHaveValue('why?')
    await expect(page.getByTestId('shortcuts-sheet')).toHaveCount(0)

    await composer.blur()
    await page.keyboard.press('?')
    const sheet = page.getByTestId('shortcuts-sheet')
    await expect(sheet).toBeVisible()
    await expect(sheet.getByTestId('shortcut-row').filter({ hasText: 'New chat' })).toContainText('Ctrl+N')
    await expect(sheet.getByTestId('shortcut-row').filter({ hasText: 'Copy the last answer' })).toContainText('Ctrl+Shift+C')
    await expect(sheet.getByTestId('shortcut-row').filter({ hasText: 'Edit the last prompt' })).toContainText('↑')
    await page.keyboard.press('Escape')
    await expect(sheet).toHaveCount(0)
  })

  test('Ctrl+Shift+P finds a command by name and runs it: "new" then Enter starts a new chat', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    await chat.send('one')
    await chat.waitForAnswers(1)
    await page.keyboard.press('Control+Shift+P')
    const palette = page.getByTestId('command-palette')
    await expect(palette).toBeVisible()
    await page.keyboard.type('new ch')
    await expect(palette.getByRole('option')).toHaveText(['New chatCtrl+N'])
    await page.keyboard.press('Enter')
    await expect(palette).toHaveCount(0)
    await expect(page.getByTestId('session-item')).toHaveCount(2)
    await expect(page.getByText('Start a conversation')).toBeVisible()

    // Esc closes it without running anything.
    await page.keyboard.press('Control+Shift+P')
    await page.keyboard.press('Escape')
    await expect(palette).toHaveCount(0)
    await expect(page.getByTestId('session-item')).toHaveCount(2)
  })

  test('Up in the empty composer edits the last prompt; sending the edit makes a branch', async ({ chat, scripted }) => {
    const { page } = chat
    await twoTurns(chat)
    const composer = page.getByTestId('composer-input')
    await composer.fill('draft')
    await composer.press('ArrowUp')
    // Not empty: Up moves in the text, as it always does.
    await expect(page.getByTestId('edit-prompt-input')).toHaveCount(0)
    await composer.fill('')
    await composer.press('ArrowUp')
    const editor = page.getByTestId('edit-prompt-input')
    await expect(editor).toHaveValue('two')
    await expect(editor).toBeFocused()
    await editor.fill('two, again')
    await editor.press('Enter')
    await expect
      .poll(() => texts(page))
      .toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two, again', 'assistant: Answer 3 to two, again.'])
    await expect(messages(page).nth(2).getByTestId('branch-position')).toHaveText('2/2')
    expect(scripted.chatRequests().at(-1)?.messages.at(-1)?.content).toBe('two, again')
  })

  test('Ctrl+Shift+C copies the last answer and Ctrl+Shift+R regenerates it, beside the old one', async ({ chat, context }) => {
    const { page } = chat
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await twoTurns(chat)
    await page.keyboard.press('Control+Shift+C')
    await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe('Answer 2 to two.')

    await page.keyboard.press('Control+Shift+R')
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 3 to two.'])
    await expect(messages(page).nth(3).getByTestId('branch-position')).toHaveText('2/2')
    expect((await chat.storedMessages()).filter((message) => message.role === 'user')).toHaveLength(2)
  })

  test('Esc stops the answer being written, from anywhere in the window', async ({ chat, scripted }) => {
    const { page } = chat
    await chat.open()
    await chat.send('slow')
    await scripted.waitForGate('slow')
    // The window shows the answer being written (main's event has come): that is what Esc stops. Pressed before, there
    // is no run the window knows of yet (the e2e raced it under load).
    await expect(page.getByRole('button', { name: 'Stop the answer (Esc)' })).toBeVisible()
    await page.getByTestId('composer-input').blur()
    await page.keyboard.press('Escape')
    await expect(messages(page).nth(1)).toHaveAttribute('data-finish-reason', 'canceled')
  })
})
