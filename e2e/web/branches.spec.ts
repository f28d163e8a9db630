import type { Locator, Page } from '@playwright/test'
import { transcript } from '../fixtures/chat-window'
import { expect, test, type ChatPage } from './chat-app'

// Issue 10, "Actions on every message": the chat shows its current branch (H3); regenerate and edit add branches,
// the "< 2/3 >" switcher moves between them, and the next prompt's request follows the branch shown.

const messages = (page: Page): Locator => page.getByTestId('message')
const texts = async (page: Page): Promise<string[]> => (await transcript(page)).map((message) => `${message.role}: ${message.text}`)
/** What the model was sent, without the system prompt. */
const sent = (request: { messages: { role: string; content: string }[] } | undefined): string[] =>
  (request?.messages ?? []).filter((m) => m.role !== 'system').map((m) => `${m.role}: ${m.content}`)

async function twoTurns(chat: ChatPage): Promise<void> {
  await chat.open()
  await chat.send('one')
  await expect.poll(() => texts(chat.page)).toEqual(['user: one', 'assistant: Answer 1 to one.'])
  await chat.send('two')
  await expect.poll(() => texts(chat.page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 2 to two.'])
}

test.describe('H3: branches in the chat', () => {
  test.beforeEach(({ scripted }) => {
    let answers = 0
    scripted.answer((prompt) => ({ text: `Answer ${++answers} to ${prompt}.` }))
  })

  test('regenerate adds an answer beside the old one; "<" switches back, and the next prompt follows that branch', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    await twoTurns(chat)

    await messages(page).nth(3).getByRole('button', { name: 'Regenerate' }).click()
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 3 to two.'])
    const answer = messages(page).nth(3)
    await expect(answer.getByTestId('branch-position')).toHaveText('2/2')
    // Regenerate answers the same prompt again: the request ends with it, and it is not written twice.
    expect(sent(scripted.chatRequests().at(-1))).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two'])
    expect((await chat.storedMessages()).filter((m) => m.role === 'user')).toHaveLength(2)

    await answer.getByRole('button', { name: 'Previous version' }).click()
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 2 to two.'])
    await expect(messages(page).nth(3).getByTestId('branch-position')).toHaveText('1/2')

    await chat.send('three')
    await expect.poll(() => texts(page)).toHaveLength(6)
    expect(sent(scripted.chatRequests().at(-1))).toEqual([
      'user: one',
      'assistant: Answer 1 to one.',
      'user: two',
      'assistant: Answer 2 to two.',
      'user: three'
    ])
    await expect(messages(page).nth(5).getByTestId('message-text')).toHaveText('Answer 4 to three.')
  })

  test('editing a prompt makes a branch from it; the old prompt and its answer are one "<" away', async ({ chat, scripted }) => {
    const { page } = chat
    await twoTurns(chat)

    await messages(page).nth(2).getByRole('button', { name: 'Edit' }).click()
    const editor = page.getByTestId('edit-prompt-input')
    await expect(editor).toHaveValue('two')
    // Esc leaves the prompt as it was.
    await editor.press('Escape')
    await expect(editor).toHaveCount(0)
    await messages(page).nth(2).getByRole('button', { name: 'Edit' }).click()
    await page.getByTestId('edit-prompt-input').fill('two, edited')
    await page.getByTestId('edit-prompt-input').press('Enter')

    await expect
      .poll(() => texts(page))
      .toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two, edited', 'assistant: Answer 3 to two, edited.'])
    await expect(messages(page).nth(2).getByTestId('branch-position')).toHaveText('2/2')
    expect(sent(scripted.chatRequests().at(-1))).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two, edited'])

    await messages(page).nth(2).getByRole('button', { name: 'Previous version' }).click()
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 2 to two.'])
    await messages(page).nth(2).getByRole('button', { name: 'Next version' }).click()
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two, edited', 'assistant: Answer 3 to two, edited.'])
  })

  test('a search result on a branch not shown opens that branch, and the next prompt follows it, not the one out of sight', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    await twoTurns(chat)
    await messages(page).nth(2).getByRole('button', { name: 'Edit' }).click()
    await page.getByTestId('edit-prompt-input').fill('two zulu')
    await page.getByTestId('edit-prompt-input').press('Enter')
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two zulu', 'assistant: Answer 3 to two zulu.'])
    // Back to the old prompt: the edited one is out of sight.
    await messages(page).nth(2).getByRole('button', { name: 'Previous version' }).click()
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 2 to two.'])

    await page.keyboard.press('Control+k')
    await page.keyboard.type('zulu')
    const dialog = page.getByTestId('search-dialog')
    await expect(dialog.getByTestId('search-hit').first()).toBeVisible()
    await page.keyboard.press('Enter')
    await expect(dialog).toHaveCount(0)
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two zulu', 'assistant: Answer 3 to two zulu.'])
    await expect(messages(page).nth(2).getByTestId('branch-position')).toHaveText('2/2')

    await chat.send('three')
    await expect.poll(() => texts(page)).toHaveLength(6)
    expect(sent(scripted.chatRequests().at(-1))).toEqual([
      'user: one',
      'assistant: Answer 1 to one.',
      'user: two zulu',
      'assistant: Answer 3 to two zulu.',
      'user: three'
    ])
    await expect.poll(() => texts(page)).toEqual([
      'user: one',
      'assistant: Answer 1 to one.',
      'user: two zulu',
      'assistant: Answer 3 to two zulu.',
      'user: three',
      'assistant: Answer 4 to three.'
    ])
  })

  test('delete removes a message and the branch below it, in the window, IndexedDB and what the model is sent next', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    await twoTurns(chat)
    await messages(page).nth(3).getByRole('button', { name: 'Regenerate' }).click()
    await expect(messages(page).nth(3).getByTestId('branch-position')).toHaveText('2/2')

    // The regenerated answer goes; the chat shows the one left beside it, with no switcher.
    await messages(page).nth(3).getByRole('button', { name: 'Delete this message and the replies below it' }).click()
    await messages(page).nth(3).getByTestId('action-delete-confirm').click()
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: two', 'assistant: Answer 2 to two.'])
    await expect(page.getByTestId('branch-switcher')).toHaveCount(0)

    // A prompt goes with its answer.
    await messages(page).nth(2).getByRole('button', { name: 'Delete this message and the replies below it' }).click()
    await messages(page).nth(2).getByTestId('action-delete-confirm').click()
    await expect.poll(() => texts(page)).toEqual(['user: one', 'assistant: Answer 1 to one.'])

    // A new prompt ends the Undo time of the chat's deletions: they reach main first, so its turn never sees them.
    await chat.send('three')
    await expect.poll(() => texts(page)).toHaveLength(4)
    expect(sent(scripted.chatRequests().at(-1))).toEqual(['user: one', 'assistant: Answer 1 to one.', 'user: three'])
    await expect.poll(async () => (await chat.storedMessages()).length).toBe(4)
    expect((await chat.storedMessages()).filter((message) => message.role === 'user')).toHaveLength(2)
  })
})
