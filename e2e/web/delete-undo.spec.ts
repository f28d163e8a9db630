import type { Locator, Page } from '@playwright/test'
import { transcript } from '../fixtures/chat-window'
import { expect, test } from './chat-app'

// Issue 10, "Deleting really deletes, with Undo for 10 seconds".

const messages = (page: Page): Locator => page.getByTestId('message')
const texts = async (page: Page): Promise<string[]> => (await transcript(page)).map((message) => `${message.role}: ${message.text}`)

test.describe('delete with Undo', () => {
  test.beforeEach(({ scripted }) => {
    scripted.answer((prompt) => ({ text: `Re: ${prompt}` }))
  })

  test('a deleted chat goes from view at once; Undo brings it back whole, and it is still there after the Undo time', async ({
    chat
  }) => {
    test.slow()
    const { page } = chat
    await chat.open()
    await chat.send('keep this chat')
    await chat.waitForAnswers(1)
    const row = page.getByTestId('session-item').first()
    await row.hover()
    await row.getByTestId('delete-session').click()
    await row.getByTestId('confirm-delete').click()
    await expect(page.getByTestId('session-item')).toHaveCount(0)
    await page.getByTestId('undo-delete').click()
    await expect(page.getByTestId('session-item')).toHaveCount(1)
    await page.getByTestId('session-item').first().click()
    await expect.poll(() => texts(page)).toEqual(['user: keep this chat', 'assistant: Re: keep this chat'])

    // Past the Undo time, nothing was sent: main and IndexedDB still have it, across a reload.
    await page.waitForTimeout(11_000)
    await page.reload()
    await expect(page.getByTestId('session-item')).toHaveCount(1)
    expect(await chat.storedMessages()).toHaveLength(2)
  })

  test('a deleted message goes with its replies; Undo brings them back and the next turn still sees them', async ({ chat, scripted }) => {
    const { page } = chat
    await chat.open()
    await chat.send('one')
    await chat.waitForAnswers(1)
    await chat.send('two')
    await chat.waitForAnswers(2)
    await messages(page).nth(2).getByRole('button', { name: 'Delete this message and the replies below it' }).click()
    await messages(page).nth(2).getByTestId('action-delete-confirm').click()
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Re: one'])
    await page.getByTestId('undo-delete').click()
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Re: one', 'user: two', 'assistant: Re: two'])
    await chat.send('three')
    await chat.waitForAnswers(3)
    expect(scripted.chatRequests().at(-1)?.messages.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual([
      'one',
      'Re: one',
      'two',
      'Re: two',
      'three'
    ])
  })

  test('once the Undo time is over, a deleted chat is gone from IndexedDB, its text from main’s files and its kept screen from the window’s storage', async ({
    chat,
    scripted
  }) => {
    test.slow()
    const { page } = chat
    scripted.answer(() => ({ text: 'SECRET-ANSWER: **the lake**' }))
    await chat.open()
    await chat.send('SECRET-PLANS for the weekend')
    await chat.waitForAnswers(1)
    // The screen shown is kept for the next start (chat/first-screen.ts), the answer's HTML with it.
    const kept = (): Promise<string> => page.evaluate(() => localStorage.getItem('parley.firstScreen') ?? '')
    await expect.poll(kept).toContain('SECRET-ANSWER')
    const row = page.getByTestId('session-item').first()
    await row.hover()
    await row.getByTestId('delete-session').click()
    await row.getByTestId('confirm-delete').click()
    await expect(page.getByTestId('undo-delete')).toBeVisible()
    // The banner goes when the deletion is sent.
    await expect(page.getByTestId('undo-delete')).toHaveCount(0, { timeout: 20_000 })
    await expect.poll(async () => (await chat.storedMessages()).length).toBe(0)
    await expect.poll(() => chat.filesContaining('SECRET-PLANS')).toEqual([])
    await expect.poll(kept).not.toContain('SECRET-ANSWER')
  })
})
