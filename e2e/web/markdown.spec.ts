import type { Locator, Page } from '@playwright/test'
import { expect, test, type ChatPage, type ScriptedModels } from './chat-app'

const code = `def fib(n: int) -> int:
    """The n-th Fibonacci number."""
    return n if n < 2 else fib(n - 1) + fib(n - 2)`

const answer = `Here is the function:

\`\`\`python
${code}
\`\`\`

Its growth follows Binet's formula:

$$
F_n = \\frac{\\varphi^n - \\psi^n}{\\sqrt{5}}
$$`

test.use({ permissions: ['clipboard-read', 'clipboard-write'] })

/** A new chat asked for the answer above; its message, once answered. */
async function answered(chat: ChatPage, scripted: ScriptedModels): Promise<Locator> {
  scripted.answer(() => ({ text: answer }))
  await chat.open()
  await chat.send('Fibonacci in Python?')
  await chat.waitForAnswers(1)
  return chat.page.locator('[data-testid="message"][data-role="assistant"]')
}

test('an answer with code and math: highlighted tokens, the language, Copy, and KaTeX', async ({ chat, scripted }) => {
  const { page } = chat
  const message = await answered(chat, scripted)

  const block = message.getByTestId('code-block')
  await expect(block.getByTestId('code-language')).toHaveText('python')
  await expect(block).toHaveAttribute('data-highlighted', 'true')
  await expect(block.locator('.hljs-keyword').first()).toHaveText('def')
  await expect(block.locator('.hljs-string')).toContainText('The n-th Fibonacci number.')

  await block.getByTestId('copy-code').click()
  await expect(block.getByTestId('copy-code')).toHaveText('Copied')
  // e2e code is type-checked without the DOM library, so the page's globals are named through a narrow type.
  const clipboardText = page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())
  expect(await clipboardText).toBe(code)

  await expect(message.locator('.katex-display .katex-html')).toBeVisible()
  await expect(message.locator('.katex-mathml annotation')).toContainText('\\varphi^n')
})

/**
 * A huge block must not freeze the window. That is not asserted as a time (tests never do; the figures are in
 * docs/decisions.md) but by what makes it true: the table has only a window of its rows in the page and the megabyte
 * line is shown capped, unparsed. Keys typed while the answer arrives and is drawn must all reach the composer.
 */
async function typeWhileItDraws(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').pressSequentially(text)
}

test('a 3,000-row table is one table with only the rows in view in the page; its last row is a scroll away', async ({ chat, scripted }) => {
  const { page } = chat
  const table = ['| n | square |', '|---:|---:|', ...Array.from({ length: 3_000 }, (_, i) => `| ${i} | ${i * i} |`)].join('\n')
  scripted.answer(() => ({ text: table }))
  await chat.open()
  await chat.send('table')
  await typeWhileItDraws(page, 'still typing')
  await chat.waitForAnswers(1)
  await expect(page.getByTestId('composer-input')).toHaveValue('still typing')

  const answer = page.locator('[data-testid="message"][data-role="assistant"]')
  const drawn = answer.locator('table')
  await expect(drawn).toHaveCount(1)
  await expect(drawn).toHaveAttribute('aria-rowcount', '3001')
  await expect(answer.getByTestId('long-table-count')).toHaveText('3,000 rows')
  await expect(answer.locator('tbody tr[aria-rowindex="2"] td')).toHaveText(['0', '0'])
  // Only a window of rows is in the page, however many the table has.
  expect(await answer.locator('tbody tr[aria-rowindex]').count()).toBeLessThan(200)

  await answer.locator('.long-table-scroller').evaluate((scroller) => scroller.scrollTo({ top: scroller.scrollHeight }))
  const last = answer.locator('tbody tr[aria-rowindex="3001"]')
  await expect(last).toBeVisible()
  await expect(last.locator('td')).toHaveText(['2999', '8994001'])
  expect(await answer.locator('tbody tr[aria-rowindex]').count()).toBeLessThan(200)
})

test('a megabyte on one line is shown capped, as plain text', async ({ chat, scripted }) => {
  const { page } = chat
  scripted.answer(() => ({ text: 'y'.repeat(1_000_000) }))
  await chat.open()
  await chat.send('line')
  await typeWhileItDraws(page, 'still typing')
  await chat.waitForAnswers(1)
  await expect(page.getByTestId('composer-input')).toHaveValue('still typing')
  const answer = page.locator('[data-testid="message"][data-role="assistant"]')
  await expect(answer.getByTestId('long-text')).toBeVisible()
  await expect(answer.getByText('Show all 1,000,000 characters')).toBeVisible()
})

test('the chat reopened at a start is drawn formatted before the markdown stack is in (the screen kept), then by the stack', async ({ chat, scripted }) => {
  const { page } = chat
  const message = await answered(chat, scripted)
  await expect(message.getByTestId('code-block')).toHaveAttribute('data-highlighted', 'true')
  const answerId = await message.getAttribute('data-message-id')
  // Kept once the window is idle after the answer finished.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('parley.firstScreen') ?? '')).toContain(`"id":"${answerId ?? ''}"`)

  // The next start's parser chunk is held back: until it comes, the answer can only be drawn from what was kept.
  let release: () => void = () => undefined
  const released = new Promise<void>((resolve) => (release = resolve))
  await page.route('**/assets/react-markdown-*.js', async (route) => {
    await released
    await route.continue()
  })
  await page.reload()
  const kept = message.getByTestId('markdown-kept')
  await expect(kept).toBeVisible()
  await expect(kept.locator('.hljs-keyword').first()).toHaveText('def')
  await expect(kept.locator('.katex-display .katex-html')).toBeVisible()
  // KaTeX's stylesheet is in: the formula's MathML copy (for screen readers) is taken out of the layout, as the stack
  // draws it; without the sheet it would show beside the formula.
  await expect(kept.locator('.katex-mathml').first()).toHaveCSS('position', 'absolute')
  // Its Copy button works already (the kept HTML has no handlers of its own): the block's code on the clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  const keptCode = (await kept.getByTestId('code-block').locator('pre').textContent()) ?? ''
  expect(keptCode).toContain('def')
  await kept.getByTestId('copy-code').click()
  await expect(kept.getByTestId('copy-code')).toHaveText('Copied')
  await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(keptCode)

  release()
  await expect(message.getByTestId('markdown-kept')).toHaveCount(0)
  const block = message.getByTestId('code-block')
  await expect(block).toHaveAttribute('data-highlighted', 'true')
  await block.getByTestId('copy-code').click()
  await expect(block.getByTestId('copy-code')).toHaveText('Copied')
})
