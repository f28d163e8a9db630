import { expect, test, type ChatPage } from './chat-app'

// The README's pictures of issue 10's features, each taken from the real UI against the scripted model server
// (`PARLEY_SCREENSHOT=1 npx playwright test readme-pictures` refreshes them in docs/). Each test checks what its
// picture claims to show.

const answer = `A **closure** captures variables from the scope it is defined in:

\`\`\`rust
let name = String::from("Ada");
let greet = || println!("Hello, {name}!");
greet();
\`\`\`

It borrows \`name\` here; add \`move\` to take ownership.`

async function conversation(chat: ChatPage): Promise<void> {
  await chat.open()
  await chat.send('What is a closure in Rust?')
  await chat.waitForAnswers(1)
  await chat.send('And when do I need move?')
  await chat.waitForAnswers(2)
}

test.describe('README pictures', () => {
  test.beforeEach(async ({ chat, scripted }) => {
    let answers = 0
    scripted.answer((prompt) =>
      prompt.startsWith('What') ? { text: answer } : { text: `Use \`move\` when the closure outlives the scope (version ${++answers}).` }
    )
    scripted.title('Rust closures')
    await chat.page.setViewportSize({ width: 1100, height: 700 })
  })

  test('the branch switcher after a regenerated answer', async ({ chat }, testInfo) => {
    const { page } = chat
    await conversation(chat)
    const last = page.getByTestId('message').nth(3)
    await last.getByRole('button', { name: 'Regenerate' }).click()
    await expect(last.getByTestId('branch-position')).toHaveText('2/2')
    await expect(last.getByTestId('message-text')).toContainText('version 2')
    await last.hover()
    await chat.screenshot(testInfo, 'branches')
  })

  test('the dark theme', async ({ chat }, testInfo) => {
    const { page } = chat
    await conversation(chat)
    const theme = page.getByTestId('theme-button')
    await theme.click()
    await theme.click()
    await expect(theme).toHaveAttribute('data-theme-choice', 'dark')
    await expect.poll(() => page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(23, 23, 26)')
    await chat.screenshot(testInfo, 'dark')
  })

  test('a narrow window: the chats fold away', async ({ chat }, testInfo) => {
    const { page } = chat
    await page.setViewportSize({ width: 480, height: 760 })
    await conversation(chat)
    await expect(page.getByTestId('sidebar')).toHaveCount(0)
    await expect(page.getByTestId('sidebar-toggle')).toBeVisible()
    await chat.screenshot(testInfo, 'narrow')
  })

  test('settings with several providers', async ({ chat }, testInfo) => {
    const { page } = chat
    await chat.open()
    await page.getByTestId('settings-button').click()
    for (const preset of ['lm-studio', 'anthropic', 'openrouter']) {
      await page.getByTestId('settings-preset').selectOption(preset)
      await page.getByTestId('settings-add-provider').click()
    }
    await expect(page.getByTestId('settings-provider-list').getByRole('listitem')).toHaveCount(4)
    await chat.screenshot(testInfo, 'settings')
  })
})
