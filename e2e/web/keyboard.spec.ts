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

  test('the palette, search, the sheet and Settings keep the focus: Tab goes round inside, Esc closes, the focus comes back', async ({ chat }) => {
    const { page } = chat
    // A chat first: the welcome's "Say hello" takes the focus when its check ends, whatever the dialogs did.
    await chat.open()
    await chat.send('one')
    await chat.waitForAnswers(1)
    const composer = page.getByTestId('composer-input')
    const focusInside = (dialog: Locator): Promise<boolean> => dialog.evaluate((node) => node.contains(document.activeElement))
    const dialogs: [string, Locator][] = [
      ['Control+Shift+P', page.getByTestId('command-palette')],
      ['Control+k', page.getByTestId('search-dialog')],
      ['Control+,', page.getByRole('dialog', { name: 'Settings' })]
    ]
    for (const [keys, dialog] of dialogs) {
      await composer.focus()
      await page.keyboard.press(keys)
      await expect(dialog).toBeVisible()
      await expect(dialog).toHaveAttribute('aria-modal', 'true')
      for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
        await page.keyboard.press(key)
        expect(await focusInside(dialog)).toBe(true)
      }
      // A click on the dialog's text leaves the focus nowhere: Esc still closes it.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
      await page.keyboard.press('Escape')
      await expect(dialog).toHaveCount(0)
      await expect(composer).toBeFocused()
    }

    // The sheet, opened from the Settings button's place (outside a text field): the focus goes back there.
    const settingsButton = page.getByTestId('settings-button')
    await settingsButton.focus()
    await page.keyboard.press('?')
    const sheet = page.getByTestId('shortcuts-sheet')
    await expect(sheet).toHaveAttribute('aria-modal', 'true')
    await page.keyboard.press('Tab')
    expect(await focusInside(sheet)).toBe(true)
    await page.keyboard.press('Escape')
    await expect(sheet).toHaveCount(0)
    await expect(settingsButton).toBeFocused()
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

  test('a control that goes when used with the keyboard leaves the focus somewhere useful, never on the page', async ({ chat, scripted }) => {
    const { page } = chat
    await twoTurns(chat)
    const composer = page.getByTestId('composer-input')

    // Regenerate: the composer. The arrows: the same arrow in the version shown, or the other one at the end.
    await messages(page).nth(3).getByTestId('action-regenerate').focus()
    await page.keyboard.press('Enter')
    await expect(composer).toBeFocused()
    await expect(messages(page).nth(3).getByTestId('branch-position')).toHaveText('2/2')
    await messages(page).nth(3).getByTestId('branch-previous').focus()
    await page.keyboard.press('Enter')
    await expect(messages(page).nth(3).getByTestId('branch-position')).toHaveText('1/2')
    await expect(messages(page).nth(3).getByTestId('branch-next')).toBeFocused()

    // Export, Esc in its menu: the Export button. Enter opens it at its first choice; the arrows move (not Tab).
    await page.getByTestId('export-menu').focus()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('export-markdown')).toBeFocused()
    await page.keyboard.press('ArrowUp')
    await expect(page.getByTestId('export-all')).toBeFocused()
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('export-menu')).toBeFocused()

    // Renaming a chat, Enter and Esc: its row.
    const row = page.getByTestId('session-item').first()
    await row.getByTestId('rename-session').focus()
    await page.keyboard.press('Enter')
    await page.keyboard.type('Renamed')
    await page.keyboard.press('Enter')
    await expect(row.locator('.session-open')).toBeFocused()
    await row.getByTestId('rename-session').focus()
    await page.keyboard.press('Enter')
    await page.keyboard.press('Escape')
    await expect(row.locator('.session-open')).toBeFocused()

    // Ctrl+B with the focus in the chats: the composer.
    await page.keyboard.press('Control+b')
    await expect(page.getByTestId('sidebar')).toHaveCount(0)
    await expect(composer).toBeFocused()
    await page.keyboard.press('Control+b')

    // Deleting a message, then Undo: the composer each time.
    await messages(page).nth(3).getByTestId('action-delete').focus()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('action-delete-confirm')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(composer).toBeFocused()
    await page.getByTestId('undo-delete').focus()
    await page.keyboard.press('Enter')
    await expect(messages(page)).toHaveCount(4)
    await expect(composer).toBeFocused()

    // Stop: the composer.
    await chat.send('slow')
    await scripted.waitForGate('slow')
    const stop = page.getByRole('button', { name: 'Stop the answer (Esc)' })
    await expect(stop).toBeVisible()
    await stop.focus()
    await page.keyboard.press('Enter')
    await expect(messages(page).nth(5)).toHaveAttribute('data-finish-reason', 'canceled')
    await expect(composer).toBeFocused()
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
