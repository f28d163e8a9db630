import type { Page } from '@playwright/test'
import { expect, test } from './chat-app'

/** An answer a few screens tall: numbered paragraphs, `end` last. */
const tallAnswer = (tag: string, end: string): string =>
  [...Array.from({ length: 120 }, (_, i) => `${tag} paragraph ${i}: some words to make the line.`), end].join('\n\n')

/** How far (px) the chat's scroller is from its bottom. */
function distanceFromBottom(page: Page): Promise<number> {
  return page.evaluate(() => {
    const scroller = (globalThis as unknown as { document: { querySelector(s: string): { scrollHeight: number; scrollTop: number; clientHeight: number } | null } }).document.querySelector(
      '.chat-pane [data-virtuoso-scroller="true"]'
    )
    return scroller ? scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight : Number.POSITIVE_INFINITY
  })
}

test('a chat whose last answer is taller than the window opens at its very end, and the next answer streams in view', async ({ chat, scripted }) => {
  const { page } = chat
  scripted.answer((prompt) => (prompt === 'first' ? { text: tallAnswer('one', 'first-end') } : { text: tallAnswer('two', 'second-end') }))
  await chat.open()
  await chat.send('first')
  await chat.waitForAnswers(1)
  await page.reload()
  await expect(page.getByText('first-end')).toBeInViewport()
  await expect.poll(() => distanceFromBottom(page)).toBeLessThanOrEqual(48)
  await chat.send('second')
  // The first answer is out of the virtual list by now, so the second is waited for where it ends.
  await expect(page.getByText('second-end')).toBeInViewport({ timeout: 15_000 })
})
